using BatchMonitor.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BatchMonitor.Core.Storage.Configurations;

internal sealed class BatchItemConfiguration : IEntityTypeConfiguration<BatchItem>
{
    public void Configure(EntityTypeBuilder<BatchItem> b)
    {
        b.ToTable("batch_items");
        b.HasKey(x => x.Id).HasName("pk_batch_items");
        // A plain rowid: ids need not be unique forever, and AUTOINCREMENT slows every insert.
        b.Property(x => x.Id).ValueGeneratedOnAdd().HasAnnotation("Sqlite:ValueGenerationStrategy", SqliteValueGenerationStrategy.None);
        b.Property(x => x.Index).HasColumnName("item_index");
        b.Property(x => x.Key).HasColumnName("item_key").HasMaxLength(1000).IsRequired();
        b.Property(x => x.Group).HasColumnName("group_name").HasMaxLength(200);
        b.Property(x => x.PayloadJson).HasColumnName("payload");
        b.Property(x => x.ResultJson).HasColumnName("result");
        b.Property(x => x.Step).HasMaxLength(500);
        // Rows written by plain INSERTs (the bulk inserter) have made no attempt before a retry.
        b.Property(x => x.AttemptsBeforeRetry).HasDefaultValue(0);
        b.Property(x => x.LeaseNode).HasMaxLength(200);
        b.Ignore(x => x.AttemptEndedAt);
        b.Ignore(x => x.AttemptDetail);
        b.HasOne<Batch>().WithMany().HasForeignKey(x => x.BatchId)
            .HasConstraintName("fk_batch_items_batches").OnDelete(DeleteBehavior.Cascade);

        b.HasIndex(x => new { x.BatchId, x.Index }).IsUnique().HasDatabaseName("ux_batch_items_batch_index");
        b.HasIndex(x => new { x.BatchId, x.Status, x.Index }).HasDatabaseName("ix_batch_items_batch_status_index");
        b.HasIndex(x => new { x.BatchId, x.Key }).IsUnique().HasDatabaseName("ux_batch_items_batch_key");
        // Only grouped items: a batch without groups has no entry, so its group counts read nothing.
        b.HasIndex(x => new { x.BatchId, x.Group }, "ix_batch_items_grouped").HasFilter("group_name IS NOT NULL");
    }
}
