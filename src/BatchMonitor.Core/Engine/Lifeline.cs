using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Storage.Ledger;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Engine;

/// <summary>
/// Runs once when the engine starts. Items still marked running were interrupted by a process that died:
/// their attempt counts, and they go back to pending to run again (at least once), or fail if that was their
/// last attempt. Their batches, still running, are then resumed by the engine as usual.
/// </summary>
internal sealed class Lifeline(
    IDbContextFactory<BatchMonitorDbContext> contexts,
    BatchEvents events,
    TimeProvider time,
    ILogger<Lifeline> logger)
{
    public async Task<int> RescueAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ids = await db.Batches.Where(b => b.Running > 0).Select(b => b.Id).ToListAsync(ct);
        var total = 0;
        foreach (var id in ids) total += await RescueAsync(id, ct);
        return total;
    }

    private async Task<int> RescueAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await using var ledger = ItemLedger.For(db);
        var batch = await db.Batches.AsNoTracking().SingleAsync(b => b.Id == id, ct);
        var now = time.GetUtcNow().UtcDateTime;

        if (batch.Status.IsFinished())
        {
            // The batch was stopping (cancel, timeout, failure) when the process died: finish what it began.
            var stopped = await ledger.RescueStoppedAsync(id, now, ct);
            await transaction.CommitAsync(ct);
            return stopped;
        }

        var (requeued, failed) = await ledger.RescueAsync(id, batch.Options.MaxAttempts, now, ct);
        var view = BatchView.From(await db.Batches.AsNoTracking().SingleAsync(b => b.Id == id, ct));
        await transaction.CommitAsync(ct);

        logger.LogWarning("Batch {BatchId}: {Requeued} interrupted item(s) back to pending, {Failed} failed (no attempts left).",
            id, requeued, failed);
        events.Publish(BatchChange.Of(view, itemsReset: true));
        return requeued + failed;
    }
}
