using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Nodes;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Storage.Ledger;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Engine;

/// <summary>
/// Takes back items whose runner is gone. At the engine's start (<see cref="RescueAsync"/>): the items this node left
/// running before it stopped (same node name), items without a lease, and expired leases. On every heartbeat
/// (<see cref="ReclaimExpiredAsync"/>): items whose lease another node stopped renewing (it died). Never the items of a
/// live node. Their attempt counts, and they go back to pending to run again (at least once), or fail if that was their
/// last attempt; in a batch that was stopping they are cancelled. Running batches are then worked by the engines as usual.
/// </summary>
internal sealed class Lifeline(
    IDbContextFactory<BatchMonitorDbContext> contexts,
    BatchEvents events,
    TimeProvider time,
    NodeIdentity node,
    ILogger<Lifeline> logger)
{
    /// <summary>At start: this node's earlier items, items with no lease, expired leases.</summary>
    public async Task<int> RescueAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ids = await db.Batches.Where(b => b.Running > 0).Select(b => b.Id).ToListAsync(ct);
        var total = 0;
        foreach (var id in ids) total += await RescueAsync(id, new RescueScope(node.Name, AtStart: true), ct);
        return total;
    }

    /// <summary>While the node runs: items of other nodes whose lease expired.</summary>
    public async Task<int> ReclaimExpiredAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var me = node.Name;
        var ids = await db.Batches.Where(b => b.Running > 0).Select(b => b.Id).ToListAsync(ct);
        var total = 0;
        foreach (var id in ids)
        {
            // A read first, so a batch whose leases are all current costs no lock of its row.
            var expired = await db.Items.AnyAsync(i => i.BatchId == id && i.Status == ItemStatus.Running
                                                       && i.LeaseExpiresAt <= now && i.LeaseNode != me, ct);
            if (expired) total += await RescueAsync(id, new RescueScope(me, AtStart: false), ct);
        }
        return total;
    }

    private async Task<int> RescueAsync(Guid id, RescueScope scope, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await using var ledger = ItemLedger.For(db);
        var batch = await db.Batches.AsNoTracking().SingleAsync(b => b.Id == id, ct);
        var now = time.GetUtcNow().UtcDateTime;

        if (batch.Status.IsFinished())
        {
            // The batch was stopping (cancel, timeout, failure) when the process died: finish what it began.
            var stopped = await ledger.RescueStoppedAsync(id, now, scope, ct);
            await transaction.CommitAsync(ct);
            return stopped;
        }

        var (requeued, failed) = await ledger.RescueAsync(id, batch.Options.MaxAttempts, now, scope, ct);
        var view = BatchView.From(await db.Batches.AsNoTracking().SingleAsync(b => b.Id == id, ct));
        await transaction.CommitAsync(ct);
        if (requeued + failed == 0) return 0;

        if (scope.AtStart)
            logger.LogWarning("Batch {BatchId}: {Requeued} interrupted item(s) back to pending, {Failed} failed (no attempts left).",
                id, requeued, failed);
        else
            logger.LogWarning("Batch {BatchId}: {Requeued} item(s) whose node stopped renewing its lease back to pending, {Failed} failed (no attempts left).",
                id, requeued, failed);
        events.Publish(BatchChange.Of(view, itemsReset: true));
        return requeued + failed;
    }
}
