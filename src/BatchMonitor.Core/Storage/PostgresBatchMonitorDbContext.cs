using BatchMonitor.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// The store on PostgreSQL: the same model as <see cref="BatchMonitorDbContext"/>, as its own type so that its
/// migrations (Storage/Migrations/Postgres, made by <c>dotnet ef</c>) and model snapshot live apart from SQLite's.
/// </summary>
public sealed class PostgresBatchMonitorDbContext(DbContextOptions<PostgresBatchMonitorDbContext> options)
    : BatchMonitorDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // SQLite's plain-rowid keys mean nothing here: these are identity columns.
        modelBuilder.Entity<BatchItem>().Property(x => x.Id).Metadata.RemoveAnnotation("Sqlite:ValueGenerationStrategy");
        modelBuilder.Entity<DatasetRow>().Property(x => x.Id).Metadata.RemoveAnnotation("Sqlite:ValueGenerationStrategy");
        modelBuilder.Entity<Audit.AuditEntry>().Property(x => x.Id).Metadata.RemoveAnnotation("Sqlite:ValueGenerationStrategy");
        modelBuilder.Entity<global::BatchMonitor.Core.Attempts.ItemAttempt>().Property(x => x.Id).Metadata.RemoveAnnotation("Sqlite:ValueGenerationStrategy");
    }
}
