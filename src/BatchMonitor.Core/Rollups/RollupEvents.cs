namespace BatchMonitor.Core.Rollups;

/// <summary>
/// Tells the charts that the sampler committed a minute's queue depths (once a minute on each node that runs the
/// sampler): they read their window again, so a chart moves on with the clock and shows the new depth without polling.
/// Finishes reach them with the batch events.
/// </summary>
public sealed class RollupEvents
{
    /// <summary>Raised after the commit with the minute sampled; handlers run on the sampler's thread and must not block.</summary>
    public event Action<DateTime>? Sampled;

    public void PublishSampled(DateTime minute) => Sampled?.Invoke(minute);
}
