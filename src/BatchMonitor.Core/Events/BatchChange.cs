using BatchMonitor.Core.Views;

namespace BatchMonitor.Core.Events;

/// <summary>
/// What changed in one batch since the last delivery: its newest state, the newest state of each item that
/// changed (ordered by index), and the new log lines (in order). Everything here is already committed.
/// </summary>
public sealed record BatchChange(Guid BatchId, BatchView? Batch, IReadOnlyList<ItemView> Items, IReadOnlyList<LogLineView> Logs)
{
    /// <summary>The batch was deleted; <see cref="Batch"/> is null.</summary>
    public bool Deleted { get; init; }

    /// <summary>Many items changed at once (cancel, retry-failed, a skipped group): re-read the items shown.</summary>
    public bool ItemsReset { get; init; }

    /// <summary>
    /// The batch's status or finished count differs from the previous delivery: what people watch (a progress bar
    /// moving, a batch finishing), as opposed to item progress only. Such a change was not held back, and a page
    /// may render it at once.
    /// </summary>
    public bool CountsMoved { get; init; }

    public static BatchChange Of(BatchView batch, bool itemsReset = false) =>
        new(batch.Id, batch, [], []) { ItemsReset = itemsReset };
}
