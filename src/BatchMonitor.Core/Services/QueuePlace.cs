using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Services;

/// <summary>Where a queued batch stands: its place in line (the order the engine starts them in) and what it waits for.</summary>
/// <param name="Position">1 for the next to start; null when the batch is not queued.</param>
/// <param name="Ahead">Queued batches that start before it.</param>
/// <param name="WaitsFor">In words: a free slot, an exclusive key held by another batch, or the engine's next look.</param>
public sealed record QueuePlaceView(int? Position, int Ahead, string? WaitsFor);

/// <summary>
/// Reads a queued batch's place: queued batches start highest priority first, then oldest (<see cref="BatchPicker"/>),
/// up to <see cref="EngineOptions.MaxRunningBatches"/> at once, and never while another running or paused batch holds
/// the same exclusive key.
/// </summary>
public sealed class QueuePlace(IDbContextFactory<BatchMonitorDbContext> contexts, EngineOptions options)
{
    public async Task<QueuePlaceView?> OfAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var batch = await db.Batches.AsNoTracking().Where(b => b.Id == id)
            .Select(b => new { b.Status, b.Priority, b.CreatedAt, b.ExclusiveKey }).SingleOrDefaultAsync(ct);
        if (batch is null) return null;
        if (batch.Status != BatchStatus.Queued) return new QueuePlaceView(null, 0, null);

        var ahead = await db.Batches.CountAsync(b => b.Status == BatchStatus.Queued && b.Id != id
            && (b.Priority > batch.Priority
                || (b.Priority == batch.Priority && b.CreatedAt < batch.CreatedAt)), ct);
        if (batch.ExclusiveKey is { } key)
        {
            var holder = await db.Batches.AsNoTracking()
                .Where(b => b.ExclusiveKey == key && (b.Status == BatchStatus.Running || b.Status == BatchStatus.Paused))
                .Select(b => new { b.Name, b.Status }).FirstOrDefaultAsync(ct);
            if (holder is not null)
                return new QueuePlaceView(ahead + 1, ahead, $"exclusive key '{key}', held by '{holder.Name}' ({holder.Status.Name()})");
        }
        var running = await db.Batches.CountAsync(b => b.Status == BatchStatus.Running, ct);
        var waits = running >= options.MaxRunningBatches
            ? $"a free slot: {running} of {options.MaxRunningBatches} batches run now"
            : ahead > 0 ? "the batches ahead of it to start" : "the engine to start it (any moment now)";
        return new QueuePlaceView(ahead + 1, ahead, waits);
    }
}
