using BatchMonitor.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BatchMonitor.Core.Storage.Configurations;

internal sealed class BatchConfiguration : IEntityTypeConfiguration<Batch>
{
    /// <summary>The shadow property of the computed progress column (finished items / total; 0 without items).</summary>
    public const string ProgressOrder = "ProgressOrder";
    public const string PacedBy = "PacedBy";
    public const string PacedUntil = "PacedUntil";

    /// <summary>The covering index of a batch's own searched texts (SQLite only).</summary>
    public const string SearchTextIndex = "ix_batches_search_text";

    /// <summary>The progress column's expression, with the provider's name for a double.</summary>
    public static string ProgressSql(string doubleType) =>
        $"CASE WHEN total = 0 THEN 0.0 ELSE CAST(succeeded + failed + skipped + cancelled AS {doubleType}) / total END";

    public void Configure(EntityTypeBuilder<Batch> b)
    {
        b.ToTable("batches");
        b.HasKey(x => x.Id).HasName("pk_batches");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(200).IsRequired();
        b.Property(x => x.Handler).HasMaxLength(100).IsRequired();
        // Every status change is a compare-and-set on the status it was read with.
        b.Property(x => x.Status).IsConcurrencyToken();
        b.Property(x => x.ExclusiveKey).HasMaxLength(200);
        b.Property(x => x.CurrentStep).HasMaxLength(500);
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.Property(x => x.ArgsJson).HasColumnName("args").IsRequired();
        b.Property(x => x.Options).HasColumnName("options").IsRequired()
            .HasConversion(v => OptionsColumn.Write(v), v => OptionsColumn.Read(v));
        b.Ignore(x => x.Finished);
        b.Ignore(x => x.Progress);
        // Progress as a column the database computes from the counters, so ?orderBy=progress reads an index.
        // A paced batch (ratePerSecond or delayBetweenItemsMs) is worked by one node at a time, so its pace holds across
        // nodes: the node that claims it holds it until then (renewed with its leases); only the ledger writes these.
        b.Property<string?>(PacedBy).HasColumnName("paced_by").HasMaxLength(200);
        b.Property<DateTime?>(PacedUntil).HasColumnName("paced_until");
        b.Property<double>(ProgressOrder).HasColumnName("progress").HasComputedColumnSql(ProgressSql("REAL"), stored: false);

        // Each list order ends in created_at then id, in the order's direction, so an index serves the whole order.
        b.HasIndex(x => new { x.CreatedAt, x.Id }).HasDatabaseName("ix_batches_created_at_id");
        b.HasIndex(x => new { x.Status, x.CreatedAt, x.Id }).HasDatabaseName("ix_batches_status_created_at_id");
        b.HasIndex(ProgressOrder, nameof(Batch.CreatedAt), nameof(Batch.Id)).HasDatabaseName("ix_batches_progress_created_at_id");
        // SQLite's search reads a batch's own texts (and its id: the key is not the rowid) from this index, not from the rows with their JSON
        // (PostgreSQL has trigram indexes instead and drops this one).
        b.HasIndex(x => new { x.Name, x.ExclusiveKey, x.Error, x.Id }, SearchTextIndex);
        b.HasIndex(x => x.Handler).HasDatabaseName("ix_batches_handler");
        // Serves both the status filter and the engine's pick order.
        b.HasIndex(x => new { x.Status, x.Priority, x.CreatedAt }).HasDatabaseName("ix_batches_status_priority_created_at");
        b.HasIndex(x => x.ExclusiveKey).HasDatabaseName("ix_batches_exclusive_key");
        b.HasIndex(x => x.ScheduleId).HasDatabaseName("ix_batches_schedule_id");
        b.HasIndex(x => x.DatasetId).HasDatabaseName("ix_batches_dataset_id");
    }
}
