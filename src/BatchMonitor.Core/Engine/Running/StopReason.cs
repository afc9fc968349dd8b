namespace BatchMonitor.Core.Engine.Running;

/// <summary>Why a runner stops taking items, and what happens to the items it holds.</summary>
internal enum StopReason
{
    /// <summary>Paused: running items finish; claimed items not started go back to pending.</summary>
    Pause,

    /// <summary>The process is stopping: running and claimed items go back to pending, their attempt not counted.</summary>
    Shutdown,

    /// <summary>Cancelled by a user: running items see their token; all unfinished items become cancelled.</summary>
    Cancel,

    /// <summary>maxRunMs passed: as cancel.</summary>
    TimeOut,

    /// <summary>The batch failed: as cancel.</summary>
    Fail,
}

internal static class StopReasonExtensions
{
    /// <summary>Whether running items are interrupted through their cancellation token.</summary>
    public static bool InterruptsItems(this StopReason reason) => reason != StopReason.Pause;

    /// <summary>Whether unfinished items become cancelled (rather than pending again).</summary>
    public static bool CancelsItems(this StopReason reason) => reason is StopReason.Cancel or StopReason.TimeOut or StopReason.Fail;

    public static string ItemMessage(this StopReason reason) => reason switch
    {
        StopReason.Cancel => "Cancelled while it ran.",
        StopReason.TimeOut => "Stopped: the batch reached its maximum run time.",
        StopReason.Fail => "Stopped: the batch failed.",
        _ => "Stopped.",
    };
}
