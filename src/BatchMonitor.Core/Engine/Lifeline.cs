using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Storage;
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
        Lifecycle.EnsureCanMove(ItemStatus.Running, ItemStatus.Pending);
        Lifecycle.EnsureCanMove(ItemStatus.Running, ItemStatus.Failed);
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var batch = await db.Batches.AsNoTracking().SingleAsync(b => b.Id == id, ct);
        var maxAttempts = batch.Options.MaxAttempts;
        var now = time.GetUtcNow().UtcDateTime;

        if (batch.Status.IsFinished())
        {
            // The batch was stopping (cancel, timeout, failure) when the process died: finish what it began.
            Lifecycle.EnsureCanMove(ItemStatus.Running, ItemStatus.Cancelled);
            var stopped = await db.Items
                .Where(i => i.BatchId == id && i.Status == ItemStatus.Running)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(i => i.Status, ItemStatus.Cancelled)
                    .SetProperty(i => i.FinishedAt, now)
                    .SetProperty(i => i.Error, "Interrupted: the server stopped while the batch was stopping."), ct);
            await db.Batches.Where(b => b.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(b => b.Running, b => b.Running - stopped)
                .SetProperty(b => b.Cancelled, b => b.Cancelled + stopped), ct);
            await transaction.CommitAsync(ct);
            return stopped;
        }

        var requeued = await db.Items
            .Where(i => i.BatchId == id && i.Status == ItemStatus.Running && i.Attempts < maxAttempts)
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, ItemStatus.Pending)
                .SetProperty(i => i.Progress, 0)
                .SetProperty(i => i.Step, (string?)null)
                .SetProperty(i => i.NextAttemptAt, (DateTime?)null)
                .SetProperty(i => i.Error, "Interrupted: the server stopped while this item ran; it runs again."), ct);
        var failed = await db.Items
            .Where(i => i.BatchId == id && i.Status == ItemStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, ItemStatus.Failed)
                .SetProperty(i => i.FinishedAt, now)
                .SetProperty(i => i.Error, "Interrupted: the server stopped while this item ran its last attempt."), ct);
        await db.Batches.Where(b => b.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Running, b => b.Running - requeued - failed)
            .SetProperty(b => b.Pending, b => b.Pending + requeued)
            .SetProperty(b => b.Failed, b => b.Failed + failed), ct);
        var view = BatchView.From(await db.Batches.AsNoTracking().SingleAsync(b => b.Id == id, ct));
        await transaction.CommitAsync(ct);

        logger.LogWarning("Batch {BatchId}: {Requeued} interrupted item(s) back to pending, {Failed} failed (no attempts left).",
            id, requeued, failed);
        events.Publish(BatchChange.Of(view, itemsReset: true));
        return requeued + failed;
    }
}
