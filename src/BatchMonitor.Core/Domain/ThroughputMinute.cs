using BatchMonitor.Core.Rollups;

namespace BatchMonitor.Core.Domain;

/// <summary>
/// One handler's minute (UTC): the items that reached succeeded or failed in it, the sum of their durations, how many
/// took how long (<see cref="DurationBuckets"/>: bucket <c>n</c> counts durations up to its upper bound), and the queue
/// depth sampled in that minute (pending items of the handler's active batches; null when no sample was taken).
/// Finishes are added by the item ledger in the transaction that finishes the items; the sampler writes the depth.
/// Kept about eight days (<see cref="RollupSampler"/>): the charts over the last hour, 24 hours and 7 days.
/// </summary>
public sealed class ThroughputMinute
{
    public DateTime Minute { get; set; }
    public string Handler { get; set; } = "";
    public int Succeeded { get; set; }
    public int Failed { get; set; }
    public long DurationMsSum { get; set; }
    public int? QueueDepth { get; set; }

    public int Bucket00 { get; set; }
    public int Bucket01 { get; set; }
    public int Bucket02 { get; set; }
    public int Bucket03 { get; set; }
    public int Bucket04 { get; set; }
    public int Bucket05 { get; set; }
    public int Bucket06 { get; set; }
    public int Bucket07 { get; set; }
    public int Bucket08 { get; set; }
    public int Bucket09 { get; set; }
    public int Bucket10 { get; set; }
    public int Bucket11 { get; set; }
    public int Bucket12 { get; set; }
    public int Bucket13 { get; set; }
}
