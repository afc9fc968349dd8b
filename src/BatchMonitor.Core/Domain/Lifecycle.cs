using System.Collections.Frozen;

namespace BatchMonitor.Core.Domain;

/// <summary>
/// Every state a batch or an item can be in, what moves it there, and the only pairs allowed.
/// <code>
/// BATCH
///   queued     created; or a finished batch whose failed items are retried (retry-failed).
///              Waits here while the running cap is full or another batch holds its exclusive key.
///   running    picked by the engine (highest priority first, then oldest); or resumed from paused.
///   paused     paused by a user; in-flight items finish, no new item starts. Keeps its exclusive key.
///   completed  every item reached a final state (some may have failed: see the failed count).
///   failed     the batch itself cannot go on: unknown handler, or the handler threw BatchFatalException.
///              Unfinished items become cancelled.
///   cancelled  cancelled by a user. Pending items become cancelled; running items see their token.
///   timed_out  maxRunMs passed since it started. Unfinished items become cancelled.
///
///   queued  → running | cancelled | failed
///   running → paused | completed | failed | cancelled | timed_out
///   paused  → running | cancelled | timed_out
///   completed | failed | cancelled | timed_out → queued   (retry-failed, retry item)
///
/// ITEM
///   pending    created; or an attempt failed with attempts left (nextAttemptAt = now + backoff);
///              or a process stopped while it ran (released on shutdown, rescued on start);
///              or retry-failed; or one failed or cancelled item retried (retry item).
///   running    claimed by the engine (attempt counted).
///   succeeded  the handler returned a result.
///   failed     an attempt failed and no attempt is left, or the handler said the failure is final.
///   skipped    its group failed too often in a row (failGroupAfter).
///   cancelled  its batch was cancelled, timed out or failed before the item finished.
///
///   pending → running | cancelled | skipped
///   running → succeeded | failed | pending | cancelled
///   failed  → pending   (retry-failed, retry item)
///   cancelled → pending (retry item)
/// </code>
/// </summary>
public static class Lifecycle
{
    private static readonly FrozenSet<(BatchStatus, BatchStatus)> BatchMoves = new[]
    {
        (BatchStatus.Queued, BatchStatus.Running),
        (BatchStatus.Queued, BatchStatus.Cancelled),
        (BatchStatus.Queued, BatchStatus.Failed),
        (BatchStatus.Running, BatchStatus.Paused),
        (BatchStatus.Running, BatchStatus.Completed),
        (BatchStatus.Running, BatchStatus.Failed),
        (BatchStatus.Running, BatchStatus.Cancelled),
        (BatchStatus.Running, BatchStatus.TimedOut),
        (BatchStatus.Paused, BatchStatus.Running),
        (BatchStatus.Paused, BatchStatus.Cancelled),
        (BatchStatus.Paused, BatchStatus.TimedOut),
        (BatchStatus.Completed, BatchStatus.Queued),
        (BatchStatus.Failed, BatchStatus.Queued),
        (BatchStatus.Cancelled, BatchStatus.Queued),
        (BatchStatus.TimedOut, BatchStatus.Queued),
    }.ToFrozenSet();

    private static readonly FrozenSet<(ItemStatus, ItemStatus)> ItemMoves = new[]
    {
        (ItemStatus.Pending, ItemStatus.Running),
        (ItemStatus.Pending, ItemStatus.Cancelled),
        (ItemStatus.Pending, ItemStatus.Skipped),
        (ItemStatus.Running, ItemStatus.Succeeded),
        (ItemStatus.Running, ItemStatus.Failed),
        (ItemStatus.Running, ItemStatus.Pending),
        (ItemStatus.Running, ItemStatus.Cancelled),
        (ItemStatus.Failed, ItemStatus.Pending),
        (ItemStatus.Cancelled, ItemStatus.Pending),
    }.ToFrozenSet();

    public static bool CanMove(BatchStatus from, BatchStatus to) => BatchMoves.Contains((from, to));

    public static bool CanMove(ItemStatus from, ItemStatus to) => ItemMoves.Contains((from, to));

    public static void EnsureCanMove(BatchStatus from, BatchStatus to)
    {
        if (!CanMove(from, to)) throw new IllegalTransitionException("A batch", from.Name(), to.Name());
    }

    public static void EnsureCanMove(ItemStatus from, ItemStatus to)
    {
        if (!CanMove(from, to)) throw new IllegalTransitionException("An item", from.Name(), to.Name());
    }
}
