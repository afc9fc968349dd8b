using BatchMonitor.Core.Rollups;

namespace BatchMonitor.Tests.Rollups;

/// <summary>The fixed duration buckets of the rollups, and the p95 read from any sum of them.</summary>
public sealed class DurationBucketsTests
{
    [Theory]
    [InlineData(null, 0)]
    [InlineData(-5L, 0)]
    [InlineData(0L, 0)]
    [InlineData(10L, 0)]
    [InlineData(11L, 1)]
    [InlineData(1_000L, 6)]
    [InlineData(1_001L, 7)]
    [InlineData(300_000L, 12)]
    [InlineData(300_001L, 13)]
    public void A_duration_falls_in_the_bucket_whose_upper_bound_it_does_not_pass(long? ms, int bucket) =>
        Assert.Equal(bucket, DurationBuckets.Of(ms));

    [Fact]
    public void The_p95_of_a_hundred_items_interpolates_inside_the_bucket_holding_the_95th()
    {
        var buckets = new long[DurationBuckets.Count];
        buckets[DurationBuckets.Of(40)] = 90;   // 25–50 ms
        buckets[DurationBuckets.Of(400)] = 10;  // 250–500 ms: the 95th item is the 5th of these 10

        Assert.Equal(375, DurationBuckets.P95(buckets));
        Assert.Equal(50, DurationBuckets.Quantile(buckets, 0.90));
    }

    [Fact]
    public void Summing_the_buckets_of_two_minutes_gives_the_p95_of_their_items_together()
    {
        var fast = new long[DurationBuckets.Count];
        var slow = new long[DurationBuckets.Count];
        fast[DurationBuckets.Of(5)] = 95;
        slow[DurationBuckets.Of(2_000)] = 5;

        Assert.Equal(9.5, DurationBuckets.P95(fast));
        Assert.Equal(2_425, DurationBuckets.P95(slow));
        Assert.Equal(10, DurationBuckets.P95([.. fast.Zip(slow, (a, b) => a + b)]));
        slow[DurationBuckets.Of(2_000)] = 10;
        Assert.Equal(1_712.5, DurationBuckets.P95([.. fast.Zip(slow, (a, b) => a + b)]));
    }

    [Fact]
    public void No_items_have_no_p95_and_the_open_bucket_answers_its_lower_bound()
    {
        Assert.Null(DurationBuckets.P95(new long[DurationBuckets.Count]));
        var buckets = new long[DurationBuckets.Count];
        buckets[^1] = 3;
        Assert.Equal(300_000, DurationBuckets.P95(buckets));
    }
}
