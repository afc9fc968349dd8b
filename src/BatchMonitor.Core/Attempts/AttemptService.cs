using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Attempts;

/// <summary>Reads the attempts of an item, oldest first (the ledger writes them).</summary>
public sealed class AttemptService(IDbContextFactory<BatchMonitorDbContext> contexts)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>One page of the item's attempts in the order they were made; null when the batch has no item at this index.</summary>
    public async Task<Page<AttemptView>?> ListAsync(Guid batchId, int index, int limit = DefaultLimit, int offset = 0, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Items.AnyAsync(i => i.BatchId == batchId && i.Index == index, ct)) return null;
        var attempts = db.Attempts.AsNoTracking().Where(a => a.BatchId == batchId && a.ItemIndex == index);
        var total = await attempts.CountAsync(ct);
        var page = await attempts.OrderBy(a => a.Attempt).ThenBy(a => a.Id).Skip(offset).Take(limit).ToListAsync(ct);
        return new Page<AttemptView>(page.ConvertAll(AttemptView.From), total, limit, offset);
    }
}
