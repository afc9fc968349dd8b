using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Services;

/// <summary>A steering action applied to many batches at once (the batch list's "all that match").</summary>
public enum BulkAction
{
    Cancel,
    RetryFailed,
    Delete,
}

/// <summary>What a bulk action did: how many batches changed, and the first refusal when some could not.</summary>
public sealed record BulkResult(bool Forbidden, int Matched, int Changed, string? FirstRefusal)
{
    public static readonly BulkResult Refused = new(true, 0, 0, Actor.Refusal);
}

public sealed partial class BatchService
{
    /// <summary>
    /// How many batches of the filter <paramref name="action"/> applies to (what a confirmation says before
    /// <see cref="ApplyToMatchingAsync"/>): cancel the queued, running and paused; retry those with failed items that may
    /// go back to the queue; delete the finished. Paging is ignored: every batch of the filter counts.
    /// </summary>
    public async Task<int> CountMatchingAsync(BulkAction action, BatchListQuery filter, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await (await ApplicableAsync(db, action, filter, ct)).CountAsync(ct);
    }

    /// <summary>
    /// Applies <paramref name="action"/> to every batch of the filter it applies to, one batch at a time through the same
    /// guarded transitions as a single batch's buttons (a batch that changed meanwhile is refused, not forced). An actor
    /// who may not change anything is refused before anything is read.
    /// </summary>
    public async Task<BulkResult> ApplyToMatchingAsync(BulkAction action, BatchListQuery filter, Actor actor, CancellationToken ct = default)
    {
        if (!actor.MayChange) return BulkResult.Refused;
        List<Guid> ids;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            ids = await (await ApplicableAsync(db, action, filter, ct)).Select(b => b.Id).ToListAsync(ct);
        var changed = 0;
        string? refusal = null;
        foreach (var id in ids)
        {
            var result = action switch
            {
                BulkAction.Cancel => await CancelAsync(id, actor, ct),
                BulkAction.RetryFailed => await RetryFailedAsync(id, actor, ct),
                _ => await DeleteAsync(id, actor, ct),
            };
            if (result.IsOk) changed++;
            else refusal ??= result.Message;
        }
        return new BulkResult(false, ids.Count, changed, refusal);
    }

    private static async Task<IQueryable<Batch>> ApplicableAsync(Storage.BatchMonitorDbContext db, BulkAction action, BatchListQuery filter,
        CancellationToken ct)
    {
        var batches = await BatchListReader.FilterAsync(db, filter.Handler, filter.Text, filter.Failures, ct, filter.CreatedAfter);
        if (filter.Statuses.Count > 0) batches = batches.Where(b => filter.Statuses.Contains(b.Status));
        var all = Enum.GetValues<BatchStatus>();
        switch (action)
        {
            case BulkAction.Cancel:
                var cancellable = all.Where(s => Lifecycle.CanMove(s, BatchStatus.Cancelled)).ToList();
                return batches.Where(b => cancellable.Contains(b.Status));
            case BulkAction.RetryFailed:
                var retryable = all.Where(s => !s.IsFinished() || Lifecycle.CanMove(s, BatchStatus.Queued)).ToList();
                return batches.Where(b => b.Failed > 0 && retryable.Contains(b.Status));
            default:
                var finished = all.Where(s => s.IsFinished()).ToList();
                return batches.Where(b => finished.Contains(b.Status));
        }
    }
}
