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
        // PostgreSQL keeps generated columns stored (computed at every write of the row).
        modelBuilder.Entity<Batch>().Property<double>(Configurations.BatchConfiguration.ProgressOrder)
            .HasComputedColumnSql(Configurations.BatchConfiguration.ProgressSql("double precision"), stored: true);
        SearchIndexes(modelBuilder);
    }

    /// <summary>
    /// Batch search (<see cref="TextSearch"/>) and log search (<see cref="LogSearch"/>) are <c>ILIKE '%text%'</c> over these columns; pg_trgm's GIN indexes answer it
    /// from the index for any text of three characters or more. (SQLite's are FTS5 tables, made by its migration.)
    /// </summary>
    private static void SearchIndexes(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("pg_trgm");
        var batches = modelBuilder.Entity<Batch>();
        batches.Metadata.RemoveIndex(batches.Metadata.FindIndex(Configurations.BatchConfiguration.SearchTextIndex)!);
        batches.HasIndex(x => x.Name, "ix_batches_name_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        batches.HasIndex(x => x.Error, "ix_batches_error_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        batches.HasIndex(x => x.ExclusiveKey, "ix_batches_exclusive_key_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        var items = modelBuilder.Entity<BatchItem>();
        items.HasIndex(x => x.Key, "ix_batch_items_key_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        items.HasIndex(x => x.Error, "ix_batch_items_error_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        items.HasIndex(x => x.ResultJson, "ix_batch_items_result_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        // A batch's log searched by ?q= (LogSearch); SQLite's is the FTS5 table log_lines_search.
        modelBuilder.Entity<LogLine>().HasIndex(x => x.Message, "ix_log_lines_message_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
    }
}
