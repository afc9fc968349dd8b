namespace BatchMonitor.Core.Rollups;

/// <summary>
/// The fixed duration histogram of the per-minute rollups: bucket <c>n</c> counts items whose duration was at most
/// <see cref="UpperBoundsMs"/>[n] (and more than the bound before it); the last bucket has no upper bound. Because every
/// minute uses the same buckets, any window's quantile is read by summing its minutes' buckets. Never change the
/// bounds of stored buckets: add a migration that moves the data instead.
/// </summary>
public static class DurationBuckets
{
    /// <summary>Upper bounds in milliseconds of every bucket but the last (which takes everything longer).</summary>
    public static readonly long[] UpperBoundsMs = [10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000];

    /// <summary>14 buckets: one per bound and one open-ended.</summary>
    public static int Count => UpperBoundsMs.Length + 1;

    /// <summary>The bucket a duration falls in (a missing or negative duration counts as 0 ms).</summary>
    public static int Of(long? durationMs)
    {
        var ms = Math.Max(0, durationMs ?? 0);
        for (var i = 0; i < UpperBoundsMs.Length; i++)
            if (ms <= UpperBoundsMs[i]) return i;
        return UpperBoundsMs.Length;
    }

    /// <summary>
    /// The duration below which <paramref name="quantile"/> of the counted items fall, interpolated linearly inside the
    /// bucket that holds it (as Prometheus' <c>histogram_quantile</c> does); in the open-ended bucket, that bucket's lower
    /// bound. Null when nothing was counted.
    /// </summary>
    public static double? Quantile(IReadOnlyList<long> buckets, double quantile)
    {
        long total = 0;
        foreach (var count in buckets) total += count;
        if (total == 0) return null;
        var rank = quantile * total;
        long below = 0;
        for (var i = 0; i < buckets.Count; i++)
        {
            var count = buckets[i];
            if (count > 0 && below + count >= rank)
            {
                double lower = i == 0 ? 0 : UpperBoundsMs[i - 1];
                if (i >= UpperBoundsMs.Length) return lower;
                double upper = UpperBoundsMs[i];
                return Math.Round(lower + (upper - lower) * Math.Clamp((rank - below) / count, 0, 1), 1);
            }
            below += count;
        }
        return UpperBoundsMs[^1];
    }

    /// <summary>The 95th percentile (see <see cref="Quantile"/>).</summary>
    public static double? P95(IReadOnlyList<long> buckets) => Quantile(buckets, 0.95);
}
