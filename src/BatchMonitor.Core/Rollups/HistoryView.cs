using System.Text.Json.Serialization;

namespace BatchMonitor.Core.Rollups;

/// <summary>GET /api/v1/stats/history: one point per step of the window, oldest first; <c>Handler</c> null for every handler.</summary>
public sealed record HistoryView(string Window, string Step, string? Handler, DateTime From, DateTime To, IReadOnlyList<HistoryPoint> Points);

/// <summary>
/// One step: the items finished in it (succeeded, failed), their mean and 95th-percentile duration (null when none
/// finished; the percentile read from the duration buckets) and the deepest queue sampled in it (0 when none was).
/// </summary>
public sealed record HistoryPoint(DateTime At, int Succeeded, int Failed, [property: JsonIgnore] long DurationMsSum,
    [property: JsonIgnore] IReadOnlyList<long> Buckets, [property: JsonPropertyOrder(1)] int QueueDepth)
{
    public double? MeanMs => Succeeded + Failed == 0 ? null : Math.Round((double)DurationMsSum / (Succeeded + Failed), 1);

    public double? P95Ms => DurationBuckets.P95(Buckets);

    public static HistoryPoint Empty(DateTime at) => new(at, 0, 0, 0, new long[DurationBuckets.Count], 0);

    /// <summary>This point with one more finished item (what a live chart adds from an event).</summary>
    public HistoryPoint Adding(bool succeeded, long? durationMs)
    {
        var buckets = Buckets.ToArray();
        buckets[DurationBuckets.Of(durationMs)]++;
        return this with
        {
            Succeeded = Succeeded + (succeeded ? 1 : 0),
            Failed = Failed + (succeeded ? 0 : 1),
            DurationMsSum = DurationMsSum + Math.Max(0, durationMs ?? 0),
            Buckets = buckets,
        };
    }
}
