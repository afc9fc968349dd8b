using BatchMonitor.Core.Domain;

namespace BatchMonitor.Core.Storage.Ledger;

/// <param name="Status">The batch's status when the claim ran; nothing is claimed unless it is running.</param>
/// <param name="Items">Claimed items, now running, in index order.</param>
/// <param name="PendingLeft">Pending items not claimed (not due yet, or over the limit).</param>
/// <param name="NextAttemptAt">When the next pending item is due, if fewer than asked were claimed.</param>
/// <param name="AtLimit">Nothing was claimed because the batch already runs as many items as its running limit allows
/// (on every node together): the claimer looks again when one of its own items ends, or shortly.</param>
internal sealed record ClaimResult(BatchStatus Status, IReadOnlyList<BatchItem> Items, int PendingLeft, DateTime? NextAttemptAt,
    bool AtLimit = false);

/// <summary>A claim's lease: the claiming node's name and when the lease runs out unless renewed.</summary>
internal readonly record struct Lease(string Node, DateTime ExpiresAt);

/// <summary>Which running items a rescue takes back (see the ledger's <c>RescueAsync</c>).</summary>
/// <param name="Node">The rescuing node's name.</param>
/// <param name="AtStart">At the node's start: also its own earlier leases and items with no lease; else only other nodes' expired leases.</param>
internal sealed record RescueScope(string Node, bool AtStart);

/// <summary>An item that left running: finished with the outcome its object holds, or handed back by a stopping engine.</summary>
/// <param name="Released">Handed back (running → pending): its attempt is not ended, and nothing is counted but the move.</param>
internal readonly record struct LeavingItem(BatchItem Item, bool Released);
