namespace BatchMonitor.Core.Engine;

/// <summary><c>BatchMonitor:Engine</c> settings.</summary>
public sealed class EngineOptions
{
    /// <summary>Batches running at once on this node; more wait as queued.</summary>
    public int MaxRunningBatches { get; set; } = 4;

    /// <summary>
    /// False for a node that serves pages and the API but runs no items and fires no schedules (on PostgreSQL, beside
    /// nodes that do): it follows what the others run through their notices.
    /// </summary>
    public bool RunsBatches { get; set; } = true;

    /// <summary>How often a running item's progress and step are written (and announced) at most.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// For fast items the engine claims ahead of free slots, enough for about <see cref="PrefetchHorizon"/> of work,
    /// but never more than this many items.
    /// </summary>
    public int MaxPrefetch { get; set; } = 2048;

    public TimeSpan PrefetchHorizon { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Retry delays vary by up to this share either way, so retries of many items spread out.</summary>
    public double RetryJitter { get; set; } = 0.1;

    /// <summary>Most commands the writer puts in one transaction.</summary>
    public int MaxCommandsPerTransaction { get; set; } = 10_000;

    /// <summary>Delivery window of <see cref="Events.BatchEvents"/>.</summary>
    public TimeSpan EventWindow { get; set; } = TimeSpan.FromMilliseconds(100);
}
