using BatchMonitor.Core.Domain;

namespace BatchMonitor.Core.Storage.Ledger;

/// <summary>
/// The one place that moves items between statuses and the batch counters that count them. Every move is
/// a conditional update on the status it expects (<c>WHERE status = expected</c>), and every counter moves by
/// the rows actually changed, in the caller's open transaction: the ledger never begins or commits one, so
/// the counters equal the items table at every commit of the caller.
/// <list type="bullet">
/// <item>claim: pending (due) → running, attempt counted.</item>
/// <item>finish: running → succeeded, failed, cancelled, or pending again (retry later).</item>
/// <item>release: running → pending, attempt not counted (graceful stop).</item>
/// <item>skip group: pending → skipped, for the rest of a group.</item>
/// <item>cancel pending: pending → cancelled (the batch stopped).</item>
/// <item>retry failed: failed → pending with a fresh allowance of attempts; the attempts made stay counted.</item>
/// <item>retry item: one failed or cancelled item → pending, likewise.</item>
/// <item>rescue: running → pending (attempt stays counted) or failed (last attempt) after a crash or an expired lease;
/// running → cancelled when the batch was stopping.</item>
/// <item>publish rows: dataset rows take the final outcome of their items.</item>
/// </list>
/// Where an attempt ends (finish; rescue) its row is written to <c>item_attempts</c> in the same transaction: a rescue's
/// at once, a finish's gathered with the counters.
/// The engine's moves (<see cref="FinishAsync"/>, <see cref="ReleaseAsync"/>) gather their counter moves (and attempts) and
/// write them once per batch (<see cref="SaveCountersAsync"/>); the caller saves them before it commits and
/// <see cref="DiscardCounters"/> them when it rolls back. Every other move writes its counters at once.
/// Items that reach succeeded or failed (finish; rescue on a last attempt) are counted in their handler's minute of
/// <c>throughput_minutes</c> in the same transaction: gathered, one upsert per handler and minute per save (a claim's
/// save leaves them for the last one).
/// </summary>
internal interface IItemLedger : IAsyncDisposable
{
    /// <summary>
    /// pending → running for the due items of a running batch, oldest index first, at most <paramref name="max"/>, and
    /// no more than leave the batch's running items (every node's) at <paramref name="runningLimit"/>; each claimed item
    /// carries the <paramref name="lease"/>. A <paramref name="paced"/> batch (a rate, or a pause between items) is claimed
    /// only by the node that holds its pace: the first to claim it, until that node's heartbeat stops or its hold (renewed
    /// with its leases) runs out; another node is answered "at limit", so the pace one node keeps is the batch's pace.
    /// </summary>
    Task<ClaimResult> ClaimAsync(Guid batchId, int max, int? runningLimit, Lease lease, DateTime now, CancellationToken ct,
        bool paced = false);

    /// <summary>
    /// Writes an item that left running with its outcome (succeeded, failed, cancelled, or retry later). False if it was
    /// no longer running or no longer leased to <paramref name="node"/> (another node took it back): the outcome is lost.
    /// </summary>
    Task<bool> FinishAsync(BatchItem item, string node, CancellationToken ct);

    /// <summary>
    /// Writes many items that left running at once, in one statement: each with its outcome (as <see cref="FinishAsync"/>)
    /// or handed back (<see cref="LeavingItem.Released"/>, as <see cref="ReleaseAsync"/>). Per item, in order: whether it moved.
    /// </summary>
    Task<bool[]> LeaveRunningAsync(IReadOnlyList<LeavingItem> items, string node, CancellationToken ct);

    /// <summary>Writes an item handed back by a stopping engine (running → pending). False if it was no longer running under the node's lease.</summary>
    Task<bool> ReleaseAsync(BatchItem item, string node, CancellationToken ct);

    /// <summary>Not a move: the node's running items of the batch keep their lease until the new expiry; one update. Returns how many.</summary>
    Task<int> RenewLeasesAsync(Guid batchId, Lease lease, CancellationToken ct);

    /// <summary>A running item's progress and step; not a move, but only while it is still running.</summary>
    Task<bool> WriteProgressAsync(long itemId, double progress, string? step, CancellationToken ct);

    /// <summary>pending → skipped for the rest of a group; returns how many.</summary>
    Task<int> SkipGroupAsync(Guid batchId, string group, string reason, DateTime now, CancellationToken ct);

    /// <summary>pending → cancelled for every pending item of a stopped batch; returns how many.</summary>
    Task<int> CancelPendingAsync(Guid batchId, string reason, DateTime now, CancellationToken ct);

    /// <summary>
    /// failed → pending with a fresh allowance of maxAttempts, counted from the attempts made so far (which stay: the
    /// next attempt is attempts + 1); returns how many.
    /// </summary>
    Task<int> RetryFailedAsync(Guid batchId, CancellationToken ct);

    /// <summary>
    /// One failed or cancelled item → pending with a fresh allowance of maxAttempts, as <see cref="RetryFailedAsync"/> gives
    /// (its attempts stay counted). Returns the status it had, whatever it was (null: no such item); it moved only if that
    /// was failed or cancelled.
    /// </summary>
    Task<ItemStatus?> RetryItemAsync(Guid batchId, int index, CancellationToken ct);

    /// <summary>
    /// After a crash (of this process, or of another node whose leases expired; <paramref name="scope"/> says which):
    /// running → pending for items with attempts left (the interrupted attempt stays counted), running → failed for
    /// those on their last one.
    /// </summary>
    Task<(int Requeued, int Failed)> RescueAsync(Guid batchId, int maxAttempts, DateTime now, RescueScope scope, CancellationToken ct);

    /// <summary>After a crash of a stopping batch: running → cancelled (the items <paramref name="scope"/> takes); returns how many.</summary>
    Task<int> RescueStoppedAsync(Guid batchId, DateTime now, RescueScope scope, CancellationToken ct);

    /// <summary>The item's dataset row takes its final outcome (publishResults = each).</summary>
    Task PublishRowAsync(Guid datasetId, BatchItem item, CancellationToken ct);

    /// <summary>Every row of the batch's dataset takes its item's final outcome at once (publishResults = onSuccess).</summary>
    Task PublishRowsAsync(Guid batchId, Guid datasetId, CancellationToken ct);

    /// <summary>The batch's current step and rate, written with its next counter move.</summary>
    void Note(Guid batchId, string? step, double? itemsPerSecond);

    /// <summary>
    /// Writes the counter moves gathered since the last save, one update per batch, the gathered attempts (one insert per
    /// hundred) and the gathered rollups (one upsert per handler and minute).
    /// </summary>
    Task SaveCountersAsync(CancellationToken ct);

    /// <summary>Forgets the gathered counter moves: the caller's transaction rolled back.</summary>
    void DiscardCounters();
}
