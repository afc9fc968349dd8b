using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Attempts;

/// <summary>
/// Reads the attempts of an item, oldest first: the rows the ledger wrote (<see cref="ItemAttempt"/>), and the success that
/// ended the item, which the ledger keeps in the item's own row (its node, times and duration) rather than writing twice.
/// </summary>
public sealed class AttemptService(IDbContextFactory<BatchMonitorDbContext> contexts)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>One page of the item's attempts in the order they were made; null when the batch has no item at this index.</summary>
    public async Task<Page<AttemptView>?> ListAsync(Guid batchId, int index, int limit = DefaultLimit, int offset = 0, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var item = await db.Items.AsNoTracking().Where(i => i.BatchId == batchId && i.Index == index)
            .Select(i => new { i.Status, i.Attempts, i.LeaseNode, i.StartedAt, i.FinishedAt, i.DurationMs })
            .SingleOrDefaultAsync(ct);
        if (item is null) return null;
        var attempts = db.Attempts.AsNoTracking().Where(a => a.BatchId == batchId && a.ItemIndex == index);
        var written = await attempts.CountAsync(ct);
        var page = (await attempts.OrderBy(a => a.Attempt).ThenBy(a => a.Id).Skip(offset).Take(limit).ToListAsync(ct))
            .ConvertAll(AttemptView.From);

        // The success that ended the item: its last attempt, after every row (rows of older databases may hold it already).
        var success = item is { Status: ItemStatus.Succeeded, Attempts: > 0, FinishedAt: { } finishedAt }
                      && !await attempts.AnyAsync(a => a.Attempt == item.Attempts, ct)
            ? new AttemptView(item.Attempts, item.LeaseNode, item.StartedAt, finishedAt, item.DurationMs, AttemptOutcomes.Succeeded, null, null)
            : null;
        if (success is not null && offset <= written && written < offset + limit) page.Add(success);
        return new Page<AttemptView>(page, written + (success is null ? 0 : 1), limit, offset);
    }
}
