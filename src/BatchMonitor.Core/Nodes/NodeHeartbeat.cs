using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Storage.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Nodes;

/// <summary>
/// The node's pulse, every <see cref="NodeOptions.HeartbeatSeconds"/> on the injected clock: it moves the node's
/// <c>last_seen_at</c> (writing its row again if it went missing), renews the leases of the items this node runs (one
/// update per batch), and takes back the items of other nodes whose leases expired (<see cref="Lifeline"/>). A graceful
/// stop deletes the node's row; a process that dies leaves it, and it is shown as gone once older than the lease time.
/// </summary>
internal sealed class NodeHeartbeat(
    IDbContextFactory<BatchMonitorDbContext> contexts,
    NodeIdentity node,
    NodeOptions options,
    Lifeline lifeline,
    NodeEvents events,
    TimeProvider time,
    ILogger<NodeHeartbeat> logger) : IAsyncDisposable
{
    /// <summary>Rows of nodes not seen for this long are deleted by any node's heartbeat.</summary>
    private static readonly TimeSpan Forget = TimeSpan.FromDays(1);

    private readonly Lock _gate = new();
    private Func<IReadOnlyCollection<Guid>> _batches = () => [];
    private Action? _beaten;
    private ITimer? _timer;
    private Task _beat = Task.CompletedTask;
    private long _beats;
    private bool _stopped;

    /// <summary>Heartbeats completed since the start.</summary>
    public long Beats => Interlocked.Read(ref _beats);

    /// <summary>Writes the node's row and starts the timer.</summary>
    /// <param name="batches">The batches this node runs now (whose leases it renews).</param>
    /// <param name="beaten">
    /// Called after each heartbeat: items it took back are pending again, and the node's own row is current again (a
    /// paced batch is held only by a node whose heartbeat is within the lease time; see the ledger's claim).
    /// </param>
    public async Task StartAsync(Func<IReadOnlyCollection<Guid>> batches, Action beaten, CancellationToken ct)
    {
        _batches = batches;
        _beaten = beaten;
        await WriteRowAsync(ct);
        lock (_gate)
        {
            if (!_stopped) _timer = time.CreateTimer(_ => OnTimer(), null, options.Heartbeat, options.Heartbeat);
        }
        Started = true;
    }

    /// <summary>The node's row is written and its heartbeat is on the clock.</summary>
    public bool Started { get; private set; }

    /// <summary>One heartbeat, now (the timer's work; tests call it to wait for one).</summary>
    public async Task BeatAsync(CancellationToken ct)
    {
        await WriteRowAsync(ct);
        var expires = time.GetUtcNow().UtcDateTime + options.Lease;
        foreach (var batchId in _batches())
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await using var ledger = ItemLedger.For(db);
            await ledger.RenewLeasesAsync(batchId, new Lease(node.Name, expires), ct);
            await transaction.CommitAsync(ct);
        }
        await lifeline.ReclaimExpiredAsync(ct);
        _beaten?.Invoke();
        Interlocked.Increment(ref _beats);
    }

    /// <summary>A graceful stop: no more heartbeats, and the node's row is deleted.</summary>
    public async Task StopAsync()
    {
        Task beat;
        lock (_gate)
        {
            _stopped = true;
            _timer?.Dispose();
            beat = _beat;
        }
        await beat;
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            await db.Nodes.Where(n => n.Id == node.Id).ExecuteDeleteAsync();
            events.BeatHere();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Node {Node}: its row could not be deleted at stop; it shows as gone after the lease time.", node.Name);
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            // One heartbeat at a time: a clock moved far ahead fires many periods at once, and one beat covers them all.
            if (_stopped || !_beat.IsCompleted) return;
            _beat = Task.Run(async () =>
            {
                try
                {
                    await BeatAsync(CancellationToken.None);
                }
                catch (Exception e)
                {
                    logger.LogError(e, "Node {Node}: the heartbeat failed; it runs again in {Seconds} s.", node.Name, options.HeartbeatSeconds);
                }
            });
        }
    }

    private async Task WriteRowAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var seen = await db.Nodes.Where(n => n.Id == node.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.LastSeenAt, now), ct);
        if (seen == 0)
        {
            // A node of the same name before this one is this node before a restart (names are unique among live nodes).
            await db.Nodes.Where(n => n.Name == node.Name && n.Id != node.Id).ExecuteDeleteAsync(ct);
            db.Nodes.Add(new Node(node.Id, node.Name, node.Host, node.Version, now));
            await db.SaveChangesAsync(ct);
        }
        var forget = now - Forget;
        await db.Nodes.Where(n => n.LastSeenAt < forget).ExecuteDeleteAsync(ct);
        events.BeatHere();
    }

    /// <summary>Disposed without a stop (the process is going away): the timer ends, the row stays.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _stopped = true;
            _timer?.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
