using BatchMonitor.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// The store of batches, their items and logs. Tables and columns are snake_case so the engine's
/// hand-written SQL reads the same on SQLite and PostgreSQL. This type is the SQLite store (its migrations are in
/// Storage/Migrations/Sqlite); <see cref="PostgresBatchMonitorDbContext"/> is the same model on PostgreSQL, with
/// migrations of its own. Everything else asks for this type and works on either.
/// </summary>
public class BatchMonitorDbContext : DbContext
{
    public BatchMonitorDbContext(DbContextOptions<BatchMonitorDbContext> options) : base(options)
    {
    }

    /// <summary>For a provider's own context type (its own migrations and model snapshot).</summary>
    protected BatchMonitorDbContext(DbContextOptions options) : base(options)
    {
    }

    public DbSet<Batch> Batches => Set<Batch>();
    public DbSet<BatchItem> Items => Set<BatchItem>();
    public DbSet<LogLine> LogLines => Set<LogLine>();
    public DbSet<ThroughputMinute> ThroughputMinutes => Set<ThroughputMinute>();
    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<DatasetRow> DatasetRows => Set<DatasetRow>();
    public DbSet<Schedule> Schedules => Set<Schedule>();
    public DbSet<ScheduleRun> ScheduleRuns => Set<ScheduleRun>();
    public DbSet<Node> Nodes => Set<Node>();
    public DbSet<Audit.AuditEntry> AuditEntries => Set<Audit.AuditEntry>();
    public DbSet<global::BatchMonitor.Core.Attempts.ItemAttempt> Attempts => Set<global::BatchMonitor.Core.Attempts.ItemAttempt>();
    public DbSet<Retention.RetentionState> RetentionState => Set<Retention.RetentionState>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<BatchStatus>().HaveConversion<BatchStatusConverter>().HaveMaxLength(16);
        configurationBuilder.Properties<ItemStatus>().HaveConversion<ItemStatusConverter>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BatchMonitorDbContext).Assembly,
            t => t.Namespace == typeof(Configurations.BatchConfiguration).Namespace);
        SnakeCaseNames.Apply(modelBuilder);
    }
}
