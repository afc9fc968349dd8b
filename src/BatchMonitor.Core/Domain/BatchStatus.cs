namespace BatchMonitor.Core.Domain;

/// <summary>The state of a batch. See <see cref="Lifecycle"/> for what moves a batch into each one.</summary>
public enum BatchStatus
{
    Queued,
    Running,
    Paused,
    Completed,
    Failed,
    Cancelled,
    TimedOut,
}

public static class BatchStatusExtensions
{
    public static bool IsFinished(this BatchStatus status) =>
        status is BatchStatus.Completed or BatchStatus.Failed or BatchStatus.Cancelled or BatchStatus.TimedOut;

    /// <summary>Queued, running or paused: the batch still has work ahead of it.</summary>
    public static bool IsActive(this BatchStatus status) => !status.IsFinished();

    /// <summary>Running or paused: the batch holds its exclusive key.</summary>
    public static bool HoldsExclusiveKey(this BatchStatus status) =>
        status is BatchStatus.Running or BatchStatus.Paused;
}
