using System.Collections.Concurrent;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine.Running;
using BatchMonitor.Core.Engine.Writing;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Nodes;
using BatchMonitor.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Engine;

/// <summary>
/// Owns the runners of this process. Each tick times out batches past their deadline, resumes running batches
/// that have no runner (after a restart or a resume), and starts queued batches into the free slots. A batch whose
/// runner crashed gets a new one only after the <see cref="RestartBackoff"/> pause.
/// </summary>
internal sealed class BatchEngine
{
    private readonly IDbContextFactory<BatchMonitorDbContext> _contexts;
    private readonly EngineWriter _writer;
    private readonly ItemExecutor _executor;
    private readonly BatchTransitions _transitions;
    private readonly BatchPicker _picker;
    private readonly Lifeline _lifeline;
    private readonly NodeHeartbeat _heartbeat;
    private readonly HandlerRegistry _handlers;
    private readonly EngineSignals _signals;
    private readonly TimeProvider _time;
    private readonly EngineOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Guid, (BatchRunner Runner, Task Task)> _runners = new();
    private readonly RestartBackoff _restarts = new();
    private volatile bool _stopping;
    private bool _started;

    public BatchEngine(IDbContextFactory<BatchMonitorDbContext> contexts, EngineWriter writer, ItemExecutor executor,
        BatchTransitions transitions, BatchPicker picker, Lifeline lifeline, NodeHeartbeat heartbeat, HandlerRegistry handlers, EngineSignals signals,
        TimeProvider time, EngineOptions options, ILoggerFactory loggers)
    {
        _contexts = contexts;
        _writer = writer;
        _executor = executor;
        _transitions = transitions;
        _picker = picker;
        _lifeline = lifeline;
        _heartbeat = heartbeat;
        _handlers = handlers;
        _signals = signals;
        _time = time;
        _options = options;
        _loggers = loggers;
        _logger = loggers.CreateLogger<BatchEngine>();
    }

    /// <summary>Batches with a runner in this process.</summary>
    public IReadOnlyCollection<Guid> RunningHere => [.. _runners.Keys];

    /// <summary>
    /// Rescues items this node left running before it stopped (and expired leases of others), starts the node's
    /// heartbeat (which keeps the leases of its items and takes back expired ones of other nodes), then starts writing.
    /// </summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (_started) return;
        _started = true;
        var rescued = await _lifeline.RescueAsync(ct);
        if (rescued > 0) _logger.LogWarning("Rescued {Count} item(s) left running by a stopped process.", rescued);
        await _heartbeat.StartAsync(() => RunningHere, WakeRunners, ct);
        _writer.Start();
        _signals.StatusChanged += OnStatusChanged;
    }

    /// <summary>One round of housekeeping; returns when the next one is due at the latest.</summary>
    public async Task<DateTime?> TickAsync(CancellationToken ct)
    {
        if (_stopping) return null;
        var now = _time.GetUtcNow().UtcDateTime;
        await using var db = await _contexts.CreateDbContextAsync(ct);

        var expired = await db.Batches
            .Where(b => (b.Status == BatchStatus.Running || b.Status == BatchStatus.Paused) && b.DeadlineAt != null && b.DeadlineAt <= now)
            .Select(b => b.Id).ToListAsync(ct);
        foreach (var id in expired) await _transitions.TimeOutAsync(id, ct);

        var running = await db.Batches.Where(b => b.Status == BatchStatus.Running).Select(b => b.Id).ToListAsync(ct);
        _restarts.KeepOnly(running);
        foreach (var id in running)
        {
            if (_runners.ContainsKey(id) || !_restarts.MayStart(id, now)) continue;
            try
            {
                await StartRunnerAsync(id, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Crashed(id, e);
            }
        }

        var free = _options.MaxRunningBatches - await db.Batches.CountAsync(b => b.Status == BatchStatus.Running, ct);
        foreach (var id in await _picker.PickAsync(free, ct)) await StartRunnerAsync(id, ct);

        var deadline = await db.Batches
            .Where(b => (b.Status == BatchStatus.Running || b.Status == BatchStatus.Paused) && b.DeadlineAt != null)
            .MinAsync(b => b.DeadlineAt, ct);
        return _restarts.NextStart(now) is { } restart && (deadline is null || restart < deadline) ? restart : deadline;
    }

    /// <summary>Stops every runner (their items go back to pending for the next start) and writes what is left.</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        _signals.StatusChanged -= OnStatusChanged;
        foreach (var (runner, _) in _runners.Values) runner.Stop(StopReason.Shutdown);
        await Task.WhenAll(_runners.Values.Select(r => r.Task));
        await _writer.DisposeAsync();
        await _heartbeat.StopAsync();
    }

    /// <summary>
    /// A heartbeat was written: items may be pending again (another node's expired leases), and a paced batch this node
    /// could not hold while its heartbeat was late may be held now. Every runner looks again.
    /// </summary>
    private void WakeRunners()
    {
        foreach (var (runner, _) in _runners.Values) runner.Wake();
        _signals.Wake();
    }

    private async Task StartRunnerAsync(Guid id, CancellationToken ct)
    {
        if (_stopping) return;
        await using var db = await _contexts.CreateDbContextAsync(ct);
        var batch = await db.Batches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, ct);
        if (batch is not { Status: BatchStatus.Running }) return;
        if (!_handlers.TryGet(batch.Handler, out var handler))
        {
            await _transitions.FailAsync(id, $"No handler named '{batch.Handler}' is registered.", ct);
            return;
        }

        var run = new BatchRun(batch, handler, HandlerArgs.Parse(batch.ArgsJson));
        var runner = new BatchRunner(run, _writer, _executor, _transitions, _time, _options, _loggers.CreateLogger<BatchRunner>());
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _runners[id] = (runner, done.Task);
        _ = Task.Run(async () =>
        {
            Exception? crash = null;
            try
            {
                await runner.RunAsync();
                crash = runner.Crash;
            }
            catch (Exception e)
            {
                crash = e;
            }
            finally
            {
                // The pause is set before the runner leaves, so no tick in between starts a new one at once.
                if (crash is null) _restarts.Clear(id);
                else Crashed(id, crash);
                _runners.TryRemove(new KeyValuePair<Guid, (BatchRunner, Task)>(id, (runner, done.Task)));
                done.TrySetResult();
                // Its slot is free, or it stopped for a pause that may already be undone: look again.
                _signals.Wake();
            }
        }, CancellationToken.None);
    }

    private void Crashed(Guid id, Exception error)
    {
        var (crashes, notBefore) = _restarts.Crashed(id, _time.GetUtcNow().UtcDateTime);
        _logger.LogError(error, "The runner of batch {BatchId} stopped unexpectedly ({Crashes} time(s) in a row); it starts again at {NotBefore:O}.",
            id, crashes, notBefore);
    }

    private void OnStatusChanged(Guid id, BatchStatus status)
    {
        if (!_runners.TryGetValue(id, out var entry)) return;
        switch (status)
        {
            case BatchStatus.Paused: entry.Runner.Stop(StopReason.Pause); break;
            case BatchStatus.Cancelled: entry.Runner.Stop(StopReason.Cancel); break;
            case BatchStatus.TimedOut: entry.Runner.Stop(StopReason.TimeOut); break;
            case BatchStatus.Failed: entry.Runner.Stop(StopReason.Fail); break;
            default: entry.Runner.Wake(); break;
        }
    }
}
