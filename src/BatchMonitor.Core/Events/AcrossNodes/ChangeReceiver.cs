using System.Collections.Concurrent;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Nodes;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Events.AcrossNodes;

/// <summary>
/// Acts here on what another node committed: re-reads the batch, the items and the log lines a notice names and
/// publishes them to this node's subscribers (pages, SSE streams, the hub) as if they had been committed here; tells
/// this node's engine when a batch changed status (so a pause on another node stops the runners here, and a new or
/// resumed batch is picked up at once), and this node's scheduler and schedule pages when a schedule changed.
/// </summary>
internal sealed class ChangeReceiver(
    IDbContextFactory<BatchMonitorDbContext> contexts,
    BatchEvents batches,
    ScheduleEvents schedules,
    NodeEvents nodes,
    EngineSignals engine,
    ScheduleSignals scheduler,
    NodeIdentity node)
{
    private readonly ConcurrentDictionary<Guid, BatchStatus> _statuses = new();
    private long _received;
    private int _connections;

    /// <summary>Notices of other nodes acted on since the start.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Times the listening connection came up and this node caught up.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public async Task ReceiveAsync(string payload, CancellationToken ct)
    {
        if (ChangeNotice.Parse(payload) is not { } notice || notice.Node == node.Name) return;
        foreach (var batch in notice.Batches) await ReceiveAsync(batch, ct);
        foreach (var id in notice.Schedules) schedules.ChangedOnOtherNode(id);
        if (notice.Schedules.Count > 0) scheduler.Wake();
        if (notice.NodesChanged) nodes.ChangedOnOtherNode();
        Interlocked.Increment(ref _received);
    }

    /// <summary>
    /// After the listening connection (re)opened, notices may have been missed: every active batch is announced
    /// again with its items to re-read, and the engine and the scheduler look again.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var active = await db.Batches.AsNoTracking()
            .Where(b => b.Status == BatchStatus.Queued || b.Status == BatchStatus.Running || b.Status == BatchStatus.Paused)
            .ToListAsync(ct);
        foreach (var batch in active)
        {
            var view = BatchView.From(batch);
            batches.PublishFromOtherNode(BatchChange.Of(view, itemsReset: true));
            _statuses[batch.Id] = batch.Status;
        }
        engine.Wake();
        scheduler.Wake();
        Interlocked.Increment(ref _connections);
    }

    private async Task ReceiveAsync(BatchNotice notice, CancellationToken ct)
    {
        if (notice.Deleted)
        {
            _statuses.TryRemove(notice.Id, out _);
            batches.PublishFromOtherNode(new BatchChange(notice.Id, null, [], []) { Deleted = true });
            return;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Batches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == notice.Id, ct);
        if (row is null) return;
        var view = BatchView.From(row);
        IReadOnlyList<ItemView> items = [];
        if (notice.Items is { Count: > 0 } indexes)
        {
            var list = indexes.ToList();
            items = (await db.Items.AsNoTracking().Where(i => i.BatchId == notice.Id && list.Contains(i.Index)).ToListAsync(ct))
                .OrderBy(i => i.Index).Select(ItemView.From).ToList();
        }
        IReadOnlyList<LogLineView> logs = [];
        if (notice.LogsTo > 0)
        {
            logs = (await db.LogLines.AsNoTracking()
                    .Where(l => l.BatchId == notice.Id && l.Seq >= notice.LogsFrom && l.Seq <= notice.LogsTo)
                    .OrderBy(l => l.Seq).ToListAsync(ct))
                .Select(LogLineView.From).ToList();
        }
        batches.PublishFromOtherNode(new BatchChange(notice.Id, view, items, logs) { ItemsReset = notice.ItemsReset });

        var known = _statuses.TryGetValue(notice.Id, out var before);
        if (view.Status.IsFinished()) _statuses.TryRemove(notice.Id, out _);
        else _statuses[notice.Id] = view.Status;
        // The engine hears of a new status (a pause stops the runners here, a start or resume is picked up at once),
        // and of many items moved at once (retry failed: items to run again).
        if (!known || before != view.Status || notice.ItemsReset) engine.BatchStatusChanged(notice.Id, view.Status);
    }
}
