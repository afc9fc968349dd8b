using BatchMonitor.Core.Attempts;
using BatchMonitor.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BatchMonitor.Core.Storage.Configurations;

internal sealed class ItemAttemptConfiguration : IEntityTypeConfiguration<ItemAttempt>
{
    public void Configure(EntityTypeBuilder<ItemAttempt> b)
    {
        b.ToTable("item_attempts");
        b.HasKey(x => x.Id).HasName("pk_item_attempts");
        b.Property(x => x.Id).ValueGeneratedOnAdd().HasAnnotation("Sqlite:ValueGenerationStrategy", SqliteValueGenerationStrategy.None);
        b.Property(x => x.Node).HasMaxLength(200);
        b.Property(x => x.Outcome).HasMaxLength(16).IsRequired();
        b.Property(x => x.Error).HasMaxLength(ItemAttempt.MaxErrorChars);
        b.Property(x => x.Detail).HasMaxLength(ItemAttempt.MaxDetailChars);
        b.HasOne<Batch>().WithMany().HasForeignKey(x => x.BatchId)
            .HasConstraintName("fk_item_attempts_batches").OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.BatchId, x.ItemIndex, x.Attempt }).HasDatabaseName("ix_item_attempts_batch_item_attempt");
    }
}
