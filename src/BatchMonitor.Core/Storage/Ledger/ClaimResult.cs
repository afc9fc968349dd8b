using BatchMonitor.Core.Domain;

namespace BatchMonitor.Core.Storage.Ledger;

/// <param name="Status">The batch's status when the claim ran; nothing is claimed unless it is running.</param>
/// <param name="Items">Claimed items, now running, in index order.</param>
/// <param name="PendingLeft">Pending items not claimed (not due yet, or over the limit).</param>
/// <param name="NextAttemptAt">When the next pending item is due, if fewer than asked were claimed.</param>
internal sealed record ClaimResult(BatchStatus Status, IReadOnlyList<BatchItem> Items, int PendingLeft, DateTime? NextAttemptAt);
