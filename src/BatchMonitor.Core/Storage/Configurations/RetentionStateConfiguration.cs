using BatchMonitor.Core.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BatchMonitor.Core.Storage.Configurations;

internal sealed class RetentionStateConfiguration : IEntityTypeConfiguration<RetentionState>
{
    public void Configure(EntityTypeBuilder<RetentionState> b)
    {
        b.ToTable("retention_state");
        b.HasKey(x => x.Id).HasName("pk_retention_state");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.ChangedBy).HasMaxLength(256);
        b.Property(x => x.LastRunNode).HasMaxLength(200);
        b.Property(x => x.LeaseNode).HasMaxLength(200);
        // The row exists from the migration on: the pruner's lease and the totals are conditional updates of it.
        b.HasData(new RetentionState(RetentionState.TheId));
    }
}
