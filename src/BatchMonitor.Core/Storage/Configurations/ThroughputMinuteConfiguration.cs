using BatchMonitor.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BatchMonitor.Core.Storage.Configurations;

internal sealed class ThroughputMinuteConfiguration : IEntityTypeConfiguration<ThroughputMinute>
{
    public void Configure(EntityTypeBuilder<ThroughputMinute> b)
    {
        b.ToTable("throughput_minutes");
        b.HasKey(x => new { x.Minute, x.Handler }).HasName("pk_throughput_minutes");
        b.Property(x => x.Handler).HasMaxLength(100);
        // Minutes stored before the buckets existed have none (0): their p95 is unknown, their counts stay.
        foreach (var bucket in Enumerable.Range(0, Rollups.DurationBuckets.Count))
            b.Property<int>($"Bucket{bucket:00}").HasDefaultValue(0);
    }
}
