using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Engine;

/// <summary>
/// Starts queued batches: highest priority first, then oldest; no more than the free running slots; and
/// never one whose exclusive key is held by a running or paused batch (it stays queued until the key is free).
/// </summary>
internal sealed class BatchPicker(IDbContextFactory<BatchMonitorDbContext> contexts, BatchTransitions transitions)
{
    public async Task<List<Guid>> PickAsync(int freeSlots, CancellationToken ct)
    {
        var started = new List<Guid>();
        if (freeSlots <= 0) return started;

        await using var db = await contexts.CreateDbContextAsync(ct);
        var held = (await db.Batches
                .Where(b => (b.Status == BatchStatus.Running || b.Status == BatchStatus.Paused) && b.ExclusiveKey != null)
                .Select(b => b.ExclusiveKey!)
                .ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var queued = await db.Batches.AsNoTracking()
            .Where(b => b.Status == BatchStatus.Queued)
            .OrderByDescending(b => b.Priority).ThenBy(b => b.CreatedAt).ThenBy(b => b.Id)
            .Select(b => new { b.Id, b.ExclusiveKey })
            .ToListAsync(ct);

        foreach (var candidate in queued)
        {
            if (candidate.ExclusiveKey is { } key && held.Contains(key)) continue;
            var result = await transitions.StartAsync(candidate.Id, ct);
            if (!result.IsOk) continue;
            started.Add(candidate.Id);
            if (candidate.ExclusiveKey is { } taken) held.Add(taken);
            if (started.Count >= freeSlots) break;
        }
        return started;
    }
}
