using BatchMonitor.Core.Audit;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Storage.Ledger;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Engine;

/// <summary>
/// Every change of a batch's status, for users and the engine alike. Each one loads the batch, asks the
/// domain for the move (which refuses illegal ones), writes it with a compare-and-set on the status it read,
/// moves the affected items and counters through the item ledger in the same transaction, commits, and only
/// then announces it.
/// </summary>
public sealed class BatchTransitions(
    IDbContextFactory<BatchMonitorDbContext> contexts,
    BatchEvents events,
    EngineSignals signals,
    TimeProvider time,
    AuditTrail audit,
    BatchRemover remover)
{
    private enum ItemsEffect
    {
        None,
        CancelPending,
        RetryFailed,

        /// <summary>One failed or cancelled item back to pending (the index given to the change).</summary>
        RetryItem,

        /// <summary>publishResults = onSuccess and nothing failed: every row takes its item's outcome now, at once.</summary>
        PublishAll,
    }

    /// <summary>queued → running.</summary>
    public Task<ChangeResult> StartAsync(Guid id, CancellationToken ct = default) =>
        ChangeAsync(id, (b, now) => { b.Start(now); return ItemsEffect.None; }, ct);

    /// <summary>running → completed, only if no item is pending or running.</summary>
    public async Task<bool> TryCompleteAsync(Guid id, CancellationToken ct = default)
    {
        var result = await ChangeAsync(id, (b, now) =>
        {
            if (b.Status != BatchStatus.Running || b.Pending != 0 || b.Running != 0)
                throw new NotNow();
            b.Complete(now);
            return b is { DatasetId: not null, Failed: 0, Options.PublishResults: PublishPolicy.OnSuccess }
                ? ItemsEffect.PublishAll
                : ItemsEffect.None;
        }, ct);
        return result.IsOk;
    }

    public Task<ChangeResult> PauseAsync(Guid id, CancellationToken ct = default, AuditNote? note = null) =>
        ChangeAsync(id, (b, _) => { b.Pause(); return ItemsEffect.None; }, ct, note);

    public Task<ChangeResult> ResumeAsync(Guid id, CancellationToken ct = default, AuditNote? note = null) =>
        ChangeAsync(id, (b, _) => { b.Resume(); return ItemsEffect.None; }, ct, note);

    public Task<ChangeResult> CancelAsync(Guid id, CancellationToken ct = default, AuditNote? note = null) =>
        ChangeAsync(id, (b, now) => { b.Cancel(now); return ItemsEffect.CancelPending; }, ct, note);

    public Task<ChangeResult> TimeOutAsync(Guid id, CancellationToken ct = default) =>
        ChangeAsync(id, (b, now) => { b.TimeOut(now); return ItemsEffect.CancelPending; }, ct);

    public Task<ChangeResult> FailAsync(Guid id, string error, CancellationToken ct = default) =>
        ChangeAsync(id, (b, now) => { b.Fail(now, error); return ItemsEffect.CancelPending; }, ct);

    /// <summary>
    /// Failed items → pending with a fresh allowance of attempts (their attempts stay counted); a finished batch goes back
    /// to queued and keeps its first start (<see cref="Batch.Start"/>).
    /// </summary>
    public Task<ChangeResult> RetryFailedAsync(Guid id, CancellationToken ct = default, AuditNote? note = null) =>
        ChangeAsync(id, (b, _) =>
        {
            if (b.Failed == 0) throw new ConflictException("This batch has no failed items to retry.");
            if (b.Status.IsFinished()) b.Requeue();
            return ItemsEffect.RetryFailed;
        }, ct, note);

    /// <summary>
    /// One failed or cancelled item → pending with a fresh allowance of attempts (its attempts stay counted); a finished
    /// batch goes back to queued, as with <see cref="RetryFailedAsync"/>, and runs again once the engine picks it.
    /// Not found when the batch has no item at <paramref name="index"/>; a conflict (nothing written) for any other status.
    /// </summary>
    public Task<ChangeResult> RetryItemAsync(Guid id, int index, CancellationToken ct = default, AuditNote? note = null) =>
        ChangeAsync(id, (b, _) =>
        {
            if (b.Status.IsFinished()) b.Requeue();
            return ItemsEffect.RetryItem;
        }, ct, note, index);

    public Task<ChangeResult> SetPriorityAsync(Guid id, int priority, CancellationToken ct = default, AuditNote? note = null) =>
        ChangeAsync(id, (b, _) => { b.SetPriority(priority); return ItemsEffect.None; }, ct, note);

    /// <summary>
    /// Deletes a finished batch with its items, attempts and logs: marks it (with the audit entry, in one transaction:
    /// from then on it cannot be retried or requeued), removes its rows a chunk at a time (<see cref="BatchRemover"/>),
    /// and announces it gone once its row is. A batch already being removed is finished off.
    /// </summary>
    public async Task<ChangeResult> DeleteAsync(Guid id, CancellationToken ct = default, AuditNote? note = null)
    {
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var batch = await db.Batches.ForUpdate().SingleOrDefaultAsync(b => b.Id == id, ct);
            if (batch is null) return ChangeResult.NotFound;
            if (!batch.Status.IsFinished())
                return ChangeResult.Conflict($"A {batch.Status.Name()} batch cannot be deleted; cancel it first.");
            batch.MarkForRemoval(time.GetUtcNow().UtcDateTime);
            if (note is not null) audit.Add(db, note.Actor, note.Action, AuditSubjects.Batch(id), note.Detail ?? $"'{batch.Name}'");
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return ChangeResult.Conflict("The batch changed while it was being deleted; try again.");
            }
            await transaction.CommitAsync(ct);
        }
        // Whatever happens to this request now, the mark stays: the next retention turn finishes a removal left half done.
        await remover.RemoveAsync(id, CancellationToken.None);
        events.Publish(new BatchChange(id, null, [], []) { Deleted = true });
        return ChangeResult.Ok(null);
    }

    private async Task<ChangeResult> ChangeAsync(Guid id, Func<Batch, DateTime, ItemsEffect> change, CancellationToken ct,
        AuditNote? note = null, int itemIndex = -1)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Decided once: a second change of the same batch waits here and then reads what the first one wrote.
        var batch = await db.Batches.ForUpdate().SingleOrDefaultAsync(b => b.Id == id, ct);
        if (batch is null) return ChangeResult.NotFound;

        var now = time.GetUtcNow().UtcDateTime;
        var before = batch.Status;
        ItemsEffect effect;
        try
        {
            effect = change(batch, now);
        }
        catch (IllegalTransitionException e)
        {
            return ChangeResult.Conflict(e.Message);
        }
        catch (ConflictException e)
        {
            return ChangeResult.Conflict(e.Message);
        }
        catch (NotNow)
        {
            return ChangeResult.Conflict("Not now.");
        }

        // Written by the save below, in this transaction: a refused change (above) or one rolled back (below) leaves none.
        if (note is not null) audit.Add(db, note.Actor, note.Action, AuditSubjects.Batch(id), note.Detail);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ChangeResult.Conflict("The batch changed meanwhile; look at it again and retry.");
        }

        await using (var ledger = ItemLedger.For(db))
        {
            switch (effect)
            {
                case ItemsEffect.CancelPending:
                    var reason = batch.Status switch
                    {
                        BatchStatus.TimedOut => "Not started: the batch reached its maximum run time.",
                        BatchStatus.Failed => "Not started: the batch failed.",
                        _ => "Not started: the batch was cancelled.",
                    };
                    await ledger.CancelPendingAsync(id, reason, now, ct);
                    break;
                case ItemsEffect.RetryFailed:
                    await ledger.RetryFailedAsync(id, ct);
                    break;
                case ItemsEffect.RetryItem:
                    // Returning before the commit rolls back the batch's move and the audit entry with it.
                    switch (await ledger.RetryItemAsync(id, itemIndex, ct))
                    {
                        case null: return ChangeResult.ItemNotFound;
                        case ItemStatus.Failed or ItemStatus.Cancelled: break;
                        case var other:
                            return ChangeResult.Conflict($"Item {itemIndex} is {other.Value.Name()}; only a failed or cancelled item can be retried.");
                    }
                    break;
                case ItemsEffect.PublishAll:
                    await ledger.PublishRowsAsync(id, batch.DatasetId!.Value, ct);
                    break;
            }
        }

        var view = BatchView.From(await db.Batches.AsNoTracking().SingleAsync(b => b.Id == id, ct));
        await transaction.CommitAsync(ct);

        var itemsReset = effect is ItemsEffect.CancelPending or ItemsEffect.RetryFailed or ItemsEffect.RetryItem;
        events.Publish(BatchChange.Of(view, itemsReset));
        if (view.Status != before || itemsReset) signals.BatchStatusChanged(id, view.Status);
        return ChangeResult.Ok(view);
    }

    private sealed class NotNow : Exception;


    private sealed class ConflictException(string message) : Exception(message);
}
