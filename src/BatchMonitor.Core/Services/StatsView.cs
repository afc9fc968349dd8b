namespace BatchMonitor.Core.Services;

/// <summary>GET /api/v1/stats: what happened in the window, overall and per handler, minute by minute.</summary>
public sealed record StatsView(
    TimeSpan Window,
    IReadOnlyDictionary<string, int> Batches,
    int Succeeded,
    int Failed,
    double ItemsPerSecond,
    double? MeanDurationMs,
    IReadOnlyList<HandlerStats> Handlers,
    IReadOnlyList<MinuteStats> Minutes)
{
    /// <summary>Everything retention pruned so far (the stats endpoint adds it).</summary>
    public Retention.RetentionTotals? Retention { get; init; }
}

public sealed record HandlerStats(string Handler, int Succeeded, int Failed, double ItemsPerSecond, double? MeanDurationMs);

public sealed record MinuteStats(DateTime Minute, int Succeeded, int Failed);
