using System.Text.Json;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BatchMonitor.Core.Storage.Configurations;

internal sealed class BatchConfiguration : IEntityTypeConfiguration<Batch>
{
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
            .HasConversion(
                v => JsonSerializer.Serialize(v, JsonDefaults.Storage),
                v => JsonSerializer.Deserialize<BatchOptions>(v, JsonDefaults.Storage) ?? BatchOptions.Defaults);
        b.Ignore(x => x.Finished);
        b.Ignore(x => x.Progress);

        b.HasIndex(x => x.CreatedAt).HasDatabaseName("ix_batches_created_at");
        b.HasIndex(x => x.Handler).HasDatabaseName("ix_batches_handler");
        // Serves both the status filter and the engine's pick order.
        b.HasIndex(x => new { x.Status, x.Priority, x.CreatedAt }).HasDatabaseName("ix_batches_status_priority_created_at");
        b.HasIndex(x => x.ExclusiveKey).HasDatabaseName("ix_batches_exclusive_key");
        b.HasIndex(x => x.ScheduleId).HasDatabaseName("ix_batches_schedule_id");
        b.HasIndex(x => x.DatasetId).HasDatabaseName("ix_batches_dataset_id");
    }
}
