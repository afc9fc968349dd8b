using System.Collections.Concurrent;
using System.Threading.Channels;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine.Writing;
using BatchMonitor.Core.Storage.Ledger;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Engine.Running;

/// <summary>
/// Runs one batch: claims due items, keeps up to <c>concurrency</c> of them running (paced by ratePerSecond and
/// delayBetweenItemsMs), waits for retries that are not due yet, and completes the batch when no item is left.
/// A stop (pause, cancel, timeout, failure, shutdown) ends it at item boundaries or through the items' tokens.
/// </summary>
internal sealed class BatchRunner
{
    /// <summary>How soon a runner looks again for a slot of its batch that another node holds.</summary>
    private static readonly TimeSpan SlotPoll = TimeSpan.FromMilliseconds(250);

    private readonly BatchRun _run;
    private readonly EngineWriter _writer;
    private readonly ItemExecutor _executor;
    private readonly BatchTransitions _transitions;
    private readonly TimeProvider _time;
    private readonly EngineOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<bool> _signals = Channel.CreateUnbounded<bool>();
    private readonly ConcurrentQueue<(BatchItem Item, ItemStatus Status)> _finished = new();
    private readonly Queue<BatchItem> _claimed = new();
    private readonly ThroughputMeter _meter;
    private readonly Dictionary<string, int> _groupFailures = [];
    private readonly HashSet<string> _skippedGroups = [];
    private Pacer? _pacer;

    /// <summary>A claim made before the claimed items ran out (fast items), so the runner never waits for one.</summary>
    private Task<ClaimResult>? _ahead;
    private int _inflight;
    private bool _failing;
    private bool _holdsToken;

    public BatchRunner(BatchRun run, EngineWriter writer, ItemExecutor executor, BatchTransitions transitions,
        TimeProvider time, EngineOptions options, ILogger logger)
    {
        _run = run;
        _writer = writer;
        _executor = executor;
        _transitions = transitions;
        _time = time;
        _options = options;
        _logger = logger;
        // Its rate sizes the claims: a batch of fast items claims ahead within its first tenth of a second.
        _meter = new ThroughputMeter(time, TimeSpan.FromMilliseconds(100));
    }

    public Guid BatchId => _run.BatchId;

    /// <summary>The unexpected error that stopped this runner, if one did (the engine then waits before a new runner).</summary>
    public Exception? Crash { get; private set; }

    public void Stop(StopReason reason)
    {
        if (_run.Stop(reason)) Wake();
    }

    /// <summary>Something changed (items back to pending, tokens refilled, a slot freed): look again.</summary>
    public void Wake() => _signals.Writer.TryWrite(true);

    /// <summary>A batch with a pace (a rate or a pause between items) is worked by one node at a time, so the pace holds across nodes.</summary>
    private bool Paced => _pacer is not null || _run.Options.DelayBetweenItemsMs > 0;

    public async Task RunAsync()
    {
        var concurrency = Math.Max(1, _run.Options.Concurrency);
        if (_run.Options.RatePerSecond is { } rate and > 0 && double.IsFinite(rate)) _pacer = new Pacer(rate, _time, Wake);
        try
        {
            var noneLeft = false;
            var idleChecks = 0;
            while (_run.Reason is null)
            {
                DateTime? dueAt = null;
                while (_inflight < concurrency && _run.Reason is null)
                {
                    // Take the rate limit's token before claiming, so no item waits for one while marked running.
                    if (_pacer is not null && !_holdsToken)
                    {
                        if (!_pacer.TryTake())
                        {
                            // Idle and out of starts: look (without claiming) whether anything is left at all.
                            if (_inflight == 0 && _claimed.Count == 0)
                            {
                                var peek = await _writer.ClaimAsync(BatchId, 0);
                                if (peek.Status != BatchStatus.Running) Stop(ReasonFor(peek.Status));
                                else if (peek.PendingLeft == 0) noneLeft = true;
                            }
                            break;
                        }
                        _holdsToken = true;
                    }
                    if (_claimed.Count == 0)
                    {
                        if (noneLeft) break;
                        // The batch's concurrency holds across nodes: while other nodes run items of the batch, the claim
                        // counts every node's running items against it, under the batch's row lock (see the ledger).
                        var claim = _ahead is { } ahead
                            ? await ahead
                            : await _writer.ClaimAsync(BatchId, concurrency - _inflight + Prefetch(), concurrency, Paced);
                        _ahead = null;
                        if (claim.Status != BatchStatus.Running)
                        {
                            Stop(ReasonFor(claim.Status));
                            break;
                        }
                        foreach (var item in claim.Items) _claimed.Enqueue(item);
                        if (claim.Items.Count == 0)
                        {
                            if (claim.PendingLeft == 0) noneLeft = true;
                            // Other nodes hold the batch's slots: one of ours ending wakes us, theirs we cannot hear.
                            else if (claim.AtLimit) dueAt = _time.GetUtcNow().UtcDateTime + SlotPoll;
                            else dueAt = claim.NextAttemptAt;
                            break;
                        }
                    }
                    _holdsToken = false;
                    StartSlot(_claimed.Dequeue());
                }

                if (_run.Reason is not null) break;
                ClaimAhead(concurrency, noneLeft);
                if (_inflight == 0 && _claimed.Count == 0 && noneLeft)
                {
                    await _writer.FlushAsync();
                    if (await _transitions.TryCompleteAsync(BatchId)) return;
                    // Something moved meanwhile (items retried, status changed): look again, gently if it repeats.
                    noneLeft = false;
                    if (++idleChecks > 1) dueAt = _time.GetUtcNow().UtcDateTime.AddSeconds(Math.Min(idleChecks, 5));
                    else continue;
                }
                else
                {
                    idleChecks = 0;
                }

                await WaitAsync(dueAt);
                if (Reap()) noneLeft = false;
                if (_run.FatalError is { } fatal && !_failing)
                {
                    _failing = true;
                    await _transitions.FailAsync(BatchId, fatal);
                    Stop(StopReason.Fail);
                }
            }
            await DrainAsync();
        }
        catch (Exception e)
        {
            Crash = e;
            _run.Stop(StopReason.Shutdown);
            await DrainAsync();
        }
        finally
        {
            _pacer?.Dispose();
        }
    }

    /// <summary>
    /// For fast items, the next claim goes out while half of what the last one brought is still to start, so the writer
    /// takes it in the same transaction as the outcomes coming in and the slots never wait for a claim. Not with
    /// failGroupAfter, whose skip must see every claimed item of the group (<see cref="TrackGroup"/>).
    /// </summary>
    private void ClaimAhead(int concurrency, bool noneLeft)
    {
        if (_ahead is not null || noneLeft || _run.Options.FailGroupAfter is not null) return;
        var prefetch = Prefetch();
        if (prefetch == 0 || _claimed.Count > prefetch / 2) return;
        _ahead = _writer.ClaimAsync(BatchId, concurrency + prefetch - _claimed.Count, concurrency, Paced);
    }

    /// <summary>
    /// Runs one item. Not queued to the thread pool itself: the executor hands the handler to the pool, and what is left
    /// (deciding the outcome, queuing it for the writer) runs where the handler's task completes.
    /// </summary>
    private void StartSlot(BatchItem item)
    {
        _inflight++;
        _ = RunSlotAsync(item);
    }

    private async Task RunSlotAsync(BatchItem item)
    {
        var status = ItemStatus.Failed;
        try
        {
            status = await _executor.RunAsync(item, _run);
            // The pause after the item starts before its outcome is written, so it counts from no later than the outcome.
            var pause = _run.Options.DelayBetweenItemsMs > 0 && _run.Reason is null
                ? Task.Delay(TimeSpan.FromMilliseconds(_run.Options.DelayBetweenItemsMs), _time, _run.Halted)
                : Task.CompletedTask;
            _writer.Record(item, _run.Owner);
            await pause;
        }
        catch (OperationCanceledException) when (_run.Halted.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Item {Key} of batch {BatchId} could not be recorded.", item.Key, BatchId);
        }
        _finished.Enqueue((item, status));
        Wake();
    }

    /// <summary>Takes finished slots; true when one of them went back to pending (a retry is coming).</summary>
    private bool Reap()
    {
        var retry = false;
        var finished = 0;
        while (_finished.TryDequeue(out var done))
        {
            _inflight--;
            finished++;
            retry |= done.Status == ItemStatus.Pending;
            TrackGroup(done.Item, done.Status);
        }
        if (finished > 0) _meter.Add(finished);
        return retry;
    }

    private void TrackGroup(BatchItem item, ItemStatus status)
    {
        if (_run.Options.FailGroupAfter is not { } limit || item.Group is not { } group || _skippedGroups.Contains(group)) return;
        if (status == ItemStatus.Succeeded) _groupFailures[group] = 0;
        if (status != ItemStatus.Failed) return;
        var failures = _groupFailures[group] = _groupFailures.GetValueOrDefault(group) + 1;
        if (failures < limit) return;

        _skippedGroups.Add(group);
        // Claimed items of the group go back to pending first, so the skip below takes them too.
        var keep = new Queue<BatchItem>();
        while (_claimed.TryDequeue(out var claimed))
        {
            if (claimed.Group == group)
            {
                claimed.Release();
                _writer.Record(claimed, _run.Owner);
            }
            else keep.Enqueue(claimed);
        }
        while (keep.TryDequeue(out var kept)) _claimed.Enqueue(kept);
        var reason = $"Skipped: {failures} items of group '{group}' failed in a row.";
        _writer.SkipGroup(BatchId, _run.Owner.Handler, group, reason);
        _writer.Log(BatchId, LogLevels.Warning, null, $"{failures} items of group '{group}' failed in a row; its remaining items are skipped.");
    }

    private int Prefetch()
    {
        if (_pacer is not null || _run.Options.DelayBetweenItemsMs > 0) return 0;
        var rate = _meter.Rate();
        return rate < 200 ? 0 : (int)Math.Min(_options.MaxPrefetch, rate * _options.PrefetchHorizon.TotalSeconds);
    }

    private async Task WaitAsync(DateTime? dueAt)
    {
        if (!_finished.IsEmpty) return;
        using var due = dueAt is { } at
            ? new CancellationTokenSource(TimerDelay.Until(at, _time), _time)
            : null;
        if (TimerDelay.Passed(dueAt, _time)) return;
        try
        {
            await _signals.Reader.WaitToReadAsync(due?.Token ?? CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
        }
        while (_signals.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>Hands back what the runner holds according to why it stops, and waits for running items.</summary>
    private async Task DrainAsync()
    {
        var reason = _run.Reason ?? StopReason.Shutdown;
        if (_ahead is { } ahead)
        {
            _ahead = null;
            try
            {
                foreach (var claimed in (await ahead).Items) _claimed.Enqueue(claimed);
            }
            catch (InvalidOperationException)
            {
                // The writer stopped before the claim was written: nothing was claimed.
            }
        }
        var now = _time.GetUtcNow().UtcDateTime;
        while (_claimed.TryDequeue(out var item))
        {
            if (reason.CancelsItems()) item.Cancel(now, reason.ItemMessage());
            else item.Release();
            _writer.Record(item, _run.Owner);
        }
        while (_inflight > 0)
        {
            await WaitAsync(null);
            Reap();
        }
        try
        {
            await _writer.FlushAsync();
        }
        catch (InvalidOperationException)
        {
            // The writer already stopped; what was queued before it stopped is written.
        }
    }

    private static StopReason ReasonFor(BatchStatus status) => status switch
    {
        BatchStatus.Cancelled => StopReason.Cancel,
        BatchStatus.TimedOut => StopReason.TimeOut,
        BatchStatus.Failed => StopReason.Fail,
        _ => StopReason.Pause,
    };
}
