using BatchMonitor.Core.Retention;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Storage;

/// <summary>What one chunk (or a whole removal) deleted.</summary>
/// <param name="BatchRemoved">This removal deleted the batch's row.</param>
/// <param name="Done">Nothing more to do: the batch is gone (whoever removed it) or is not marked for removal.</param>
public readonly record struct RemovedRows(long Items, long Attempts, long LogLines, bool BatchRemoved, bool Done)
{
    public static RemovedRows operator +(RemovedRows a, RemovedRows b) =>
        new(a.Items + b.Items, a.Attempts + b.Attempts, a.LogLines + b.LogLines, a.BatchRemoved || b.BatchRemoved, b.Done);
}

/// <summary>
/// The one place that removes a batch's rows, for a user's delete and for retention alike. A batch is first marked
/// (<see cref="Domain.Batch.MarkForRemoval"/>, by its caller), then its log lines, attempts and items go a chunk at a
/// time, each chunk a short transaction of its own, so the engine's writer gets the database between them (SQLite
/// has one writer; a million items in one statement would hold it for many seconds). The search index follows the
/// items by its triggers (SQLite) or its indexes (PostgreSQL). After each chunk the remover waits as long as the chunk
/// took, so the engine's writer has the database at least half the time however large the batch. The batch's row goes last, once nothing is left of it.
/// The deletes are plain conditional deletes: two removers of one batch (two nodes, a delete beside a prune) only
/// share the rows between them, each counting what it deleted.
/// </summary>
public sealed class BatchRemover(IDbContextFactory<BatchMonitorDbContext> contexts, RetentionOptions options, TimeProvider time)
{
    /// <summary>
    /// Removes a marked batch chunk by chunk. <paramref name="withEachChunk"/> runs in each chunk's transaction before it
    /// commits (retention adds to its totals there, so they commit with the deletes they count); it returns false to
    /// stop after that chunk (the removal is then finished later, by whoever sees the mark).
    /// </summary>
    public async Task<RemovedRows> RemoveAsync(Guid batchId, CancellationToken ct,
        Func<BatchMonitorDbContext, RemovedRows, Task<bool>>? withEachChunk = null)
    {
        var total = new RemovedRows();
        while (true)
        {
            var started = time.GetTimestamp();
            RemovedRows removed;
            bool goOn;
            await using (var db = await contexts.CreateDbContextAsync(ct))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                removed = await RemoveChunkAsync(db, batchId, options.ChunkSize, ct);
                goOn = withEachChunk is null || await withEachChunk(db, removed);
                await transaction.CommitAsync(ct);
            }
            total += removed;
            if (removed.Done || !goOn) return total;
            var took = time.GetElapsedTime(started);
            if (took > TimeSpan.Zero) await Task.Delay(took, time, ct);
        }
    }

    /// <summary>
    /// One chunk, in the caller's transaction: at most <paramref name="chunk"/> log lines, attempts and items of a batch
    /// marked for removal; its row too once all three came up short (nothing of it is left). Nothing of a batch that is
    /// not marked.
    /// </summary>
    internal static async Task<RemovedRows> RemoveChunkAsync(BatchMonitorDbContext db, Guid batchId, int chunk, CancellationToken ct)
    {
        if (!await db.Batches.AnyAsync(b => b.Id == batchId && b.RemovalStartedAt != null, ct))
            return new RemovedRows(0, 0, 0, false, true);
        var lines = await db.LogLines.Where(l => l.BatchId == batchId).OrderBy(l => l.Seq).Take(chunk).ExecuteDeleteAsync(ct);
        var attempts = await db.Attempts.Where(a => a.BatchId == batchId).OrderBy(a => a.ItemIndex).Take(chunk).ExecuteDeleteAsync(ct);
        var items = await db.Items.Where(i => i.BatchId == batchId).OrderBy(i => i.Index).Take(chunk).ExecuteDeleteAsync(ct);
        if (lines == chunk || attempts == chunk || items == chunk) return new RemovedRows(items, attempts, lines, false, false);
        var gone = await db.Batches.Where(b => b.Id == batchId && b.RemovalStartedAt != null).ExecuteDeleteAsync(ct) > 0;
        return new RemovedRows(items, attempts, lines, gone, true);
    }
}
