using BatchMonitor.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BatchMonitor.Core.Storage.Configurations;

internal sealed class LogLineConfiguration : IEntityTypeConfiguration<LogLine>
{
    public void Configure(EntityTypeBuilder<LogLine> b)
    {
        b.ToTable("log_lines");
        b.HasKey(x => x.Seq).HasName("pk_log_lines");
        b.Property(x => x.Seq).ValueGeneratedOnAdd();
        b.Property(x => x.Level).HasMaxLength(16).IsRequired();
        b.Property(x => x.ItemKey).HasMaxLength(1000);
        b.Property(x => x.Message).HasMaxLength(4000).IsRequired();
        b.HasOne<Batch>().WithMany().HasForeignKey(x => x.BatchId)
            .HasConstraintName("fk_log_lines_batches").OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.BatchId, x.Seq }).HasDatabaseName("ix_log_lines_batch_seq");
        // The log panel's and the API's filters (?item=, ?level=) read one batch's lines of an item or a level in order.
        b.HasIndex(x => new { x.BatchId, x.ItemKey, x.Seq }).HasDatabaseName("ix_log_lines_batch_item_seq");
        b.HasIndex(x => new { x.BatchId, x.Level, x.Seq }).HasDatabaseName("ix_log_lines_batch_level_seq");
    }
}
