using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Nodes;
using BatchMonitor.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Retention;

/// <summary>
/// One turn of retention: finished batches (completed, failed, cancelled, timed out; never queued, running or paused)
/// whose finish is older than the setting go with their items, attempts and log lines, and each schedule keeps only
/// its newest fires. The turn belongs to one node at a time (a lease on <see cref="RetentionState"/>, renewed with
/// every chunk); deletes go a chunk at a time through <see cref="BatchRemover"/>, each chunk's transaction adding what
/// it deleted to the totals, and after each chunk the pruner waits as long as the chunk took, so the engine's writes
/// get the database at least half the time. A removal left half done (a node that died, a delete whose request went
/// away) is finished by the next turn.
/// </summary>
public sealed class RetentionPruner(
    IDbContextFactory<BatchMonitorDbContext> contexts,
    BatchRemover remover,
    RetentionOptions options,
    NodeIdentity node,
    BatchEvents batchEvents,
    ScheduleEvents scheduleEvents,
    RetentionEvents events,
    TimeProvider time,
    ILogger<RetentionPruner> logger)
{
    /// <summary>Batches read per look for the next ones to remove.</summary>
    private const int BatchesPerLook = 100;

    private static readonly BatchStatus[] Finished = Enum.GetValues<BatchStatus>().Where(s => s.IsFinished()).ToArray();

    private readonly SemaphoreSlim _turn = new(1, 1);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Runs a turn now (after this node's own turn in progress, if any); busy when another node holds it.</summary>
    public async Task<PruneReport> RunAsync(CancellationToken ct = default)
    {
        await _turn.WaitAsync(ct);
        try
        {
            return await TurnAsync(ct);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>When the next turn is due; a database that never had one gets its first an interval from now.</summary>
    public async Task<DateTime> NextRunAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var first = Now + options.Interval;
        await State(db).Where(s => s.NextRunAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.NextRunAt, first), ct);
        return await State(db).Select(s => s.NextRunAt!.Value).SingleAsync(ct);
    }

    /// <summary>The settings in force: what an admin stored, else the configuration's.</summary>
    public static (int Days, int RunsKept) Effective(RetentionState state, RetentionOptions options) =>
        (state.FinishedBatchDays ?? options.FinishedBatchDays, state.ScheduleRunsKept ?? options.ScheduleRunsKept);

    private async Task<PruneReport> TurnAsync(CancellationToken ct)
    {
        var startedAt = Now;
        if (await TakeTurnAsync(ct) is { } holder)
        {
            var busy = PruneReport.Busy(startedAt, holder);
            events.Pruned(busy);
            return busy;
        }
        var tally = new Tally();
        try
        {
            RetentionState state;
            await using (var db = await contexts.CreateDbContextAsync(ct))
                state = await State(db).AsNoTracking().SingleAsync(ct);
            var (days, runsKept) = Effective(state, options);
            await PruneBatchesAsync(days, tally, ct);
            if (runsKept > 0) await PruneScheduleRunsAsync(runsKept, tally, ct);
        }
        catch (LostTurn)
        {
            logger.LogWarning("Retention: node {Node} lost its turn (its lease ran out); another node carries on.", node.Name);
        }
        finally
        {
            await EndTurnAsync();
        }
        var report = tally.Report(startedAt);
        logger.LogInformation(
            "Retention pruned {Batches} finished batches ({Items} items, {Attempts} attempts, {LogLines} log lines) and {ScheduleRuns} schedule runs on {Node}",
            report.Batches, report.Items, report.Attempts, report.LogLines, report.ScheduleRuns, node.Name);
        events.Pruned(report);
        return report;
    }

    private async Task PruneBatchesAsync(int days, Tally tally, CancellationToken ct)
    {
        var tried = new HashSet<Guid>();
        // First what a removal left half done, then (unless kept forever) the batches finished before the cut-off.
        await RemoveEachAsync(db => db.Batches.Where(b => b.RemovalStartedAt != null && b.RemovalStartedAt < Now - options.Lease)
            .OrderBy(b => b.RemovalStartedAt), tried, tally, ct);
        if (days == 0) return;
        var cutoff = Now.AddDays(-days);
        await RemoveEachAsync(db => db.Batches.Where(b => Finished.Contains(b.Status) && b.FinishedAt < cutoff && b.Running == 0
            && b.RemovalStartedAt == null).OrderBy(b => b.FinishedAt), tried, tally, ct, cutoff);
    }

    private async Task RemoveEachAsync(Func<BatchMonitorDbContext, IQueryable<Batch>> query, HashSet<Guid> tried, Tally tally,
        CancellationToken ct, DateTime? cutoff = null)
    {
        while (true)
        {
            List<Guid> ids;
            await using (var db = await contexts.CreateDbContextAsync(ct))
                ids = await query(db).Select(b => b.Id).Take(BatchesPerLook + tried.Count).ToListAsync(ct);
            ids.RemoveAll(tried.Contains);
            if (ids.Count == 0) return;
            foreach (var id in ids.Take(BatchesPerLook))
            {
                tried.Add(id);
                if (cutoff is { } c && !await MarkAsync(id, c, ct)) continue;
                var removed = await remover.RemoveAsync(id, ct, (db, chunk) => CountAsync(db, chunk, tally, ct));
                if (removed.BatchRemoved) batchEvents.Publish(new BatchChange(id, null, [], []) { Deleted = true });
            }
        }
    }

    /// <summary>Marks a batch for removal if it is still finished before the cut-off (read under its lock: a retry racing this one loses or wins whole).</summary>
    private async Task<bool> MarkAsync(Guid id, DateTime cutoff, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var batch = await db.Batches.ForUpdate().SingleOrDefaultAsync(b => b.Id == id, ct);
        if (batch is null || !batch.Status.IsFinished() || !(batch.FinishedAt < cutoff) || batch.Running != 0) return false;
        batch.MarkForRemoval(Now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
        await transaction.CommitAsync(ct);
        return true;
    }

    private async Task PruneScheduleRunsAsync(int kept, Tally tally, CancellationToken ct)
    {
        List<Guid> schedules;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            schedules = await db.ScheduleRuns.GroupBy(r => r.ScheduleId).Where(g => g.Count() > kept).Select(g => g.Key).ToListAsync(ct);
        foreach (var schedule in schedules)
        {
            long oldestKept;
            await using (var db = await contexts.CreateDbContextAsync(ct))
                oldestKept = await db.ScheduleRuns.Where(r => r.ScheduleId == schedule).OrderByDescending(r => r.Id)
                    .Skip(kept - 1).Select(r => r.Id).FirstAsync(ct);
            var deleted = 0;
            while (true)
            {
                var started = time.GetTimestamp();
                int runs;
                await using (var db = await contexts.CreateDbContextAsync(ct))
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(ct);
                    runs = await db.ScheduleRuns.Where(r => r.ScheduleId == schedule && r.Id < oldestKept).OrderBy(r => r.Id)
                        .Take(options.ChunkSize).ExecuteDeleteAsync(ct);
                    await AddAsync(db, new Tally { ScheduleRuns = runs }, ct);
                    await transaction.CommitAsync(ct);
                }
                tally.ScheduleRuns += runs;
                deleted += runs;
                if (runs < options.ChunkSize) break;
                await PauseAsync(started, ct);
            }
            if (deleted > 0) scheduleEvents.Changed(schedule);
        }
    }

    /// <summary>In a chunk's transaction: its counts go into the totals, and the turn's lease is renewed (or the chunk is undone).</summary>
    private async Task<bool> CountAsync(BatchMonitorDbContext db, RemovedRows chunk, Tally tally, CancellationToken ct)
    {
        var counted = new Tally
        {
            Batches = chunk.BatchRemoved ? 1 : 0, Items = chunk.Items, Attempts = chunk.Attempts, LogLines = chunk.LogLines,
        };
        await AddAsync(db, counted, ct);
        tally.Add(counted);
        return true;
    }

    private async Task AddAsync(BatchMonitorDbContext db, Tally t, CancellationToken ct)
    {
        var until = Now + options.Lease;
        var mine = node.Name;
        var renewed = await State(db).Where(s => s.LeaseNode == mine).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.PrunedBatches, x => x.PrunedBatches + t.Batches)
            .SetProperty(x => x.PrunedItems, x => x.PrunedItems + t.Items)
            .SetProperty(x => x.PrunedAttempts, x => x.PrunedAttempts + t.Attempts)
            .SetProperty(x => x.PrunedLogLines, x => x.PrunedLogLines + t.LogLines)
            .SetProperty(x => x.PrunedScheduleRuns, x => x.PrunedScheduleRuns + t.ScheduleRuns)
            .SetProperty(x => x.LeaseUntil, until), ct);
        if (renewed == 0) throw new LostTurn();
    }

    /// <summary>As long as the chunk took: the engine's writer has the database at least as long as the pruner had it.</summary>
    private Task PauseAsync(long startedTimestamp, CancellationToken ct)
    {
        var took = time.GetElapsedTime(startedTimestamp);
        return took > TimeSpan.Zero ? Task.Delay(took, time, ct) : Task.CompletedTask;
    }

    /// <summary>Takes the turn unless another node holds an unexpired one; returns that node's name when it does.</summary>
    private async Task<string?> TakeTurnAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = Now;
        var until = now + options.Lease;
        var mine = node.Name;
        var taken = await State(db).Where(s => s.LeaseNode == null || s.LeaseUntil < now || s.LeaseNode == mine)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseNode, mine).SetProperty(x => x.LeaseUntil, until), ct);
        if (taken == 1) return null;
        return await State(db).Select(s => s.LeaseNode).SingleAsync(ct) ?? "another node";
    }

    /// <summary>The turn ends whatever happened in it (a shutdown included): when it ran, when the next is due, the lease given back.</summary>
    private async Task EndTurnAsync()
    {
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        var now = Now;
        var next = now + options.Interval;
        var mine = node.Name;
        await State(db).Where(s => s.LeaseNode == mine).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.LastRunAt, now).SetProperty(x => x.LastRunNode, mine).SetProperty(x => x.NextRunAt, next)
            .SetProperty(x => x.LeaseNode, (string?)null).SetProperty(x => x.LeaseUntil, (DateTime?)null), CancellationToken.None);
    }

    private static IQueryable<RetentionState> State(BatchMonitorDbContext db) => db.RetentionState.Where(s => s.Id == RetentionState.TheId);

    private sealed class LostTurn : Exception;

    private sealed class Tally
    {
        public long Batches, Items, Attempts, LogLines, ScheduleRuns;

        public void Add(Tally t)
        {
            Batches += t.Batches;
            Items += t.Items;
            Attempts += t.Attempts;
            LogLines += t.LogLines;
            ScheduleRuns += t.ScheduleRuns;
        }

        public PruneReport Report(DateTime at) => new(at, null, Batches, Items, LogLines, Attempts, ScheduleRuns);
    }
}
