using System.Threading.Channels;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Nodes;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Storage.Ledger;
using BatchMonitor.Core.Telemetry;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Engine.Writing;

/// <summary>
/// The engine's single writer (group commit). Runners enqueue claims, outcomes, progress and log lines;
/// one loop takes everything waiting, applies it in one transaction, commits, and only then answers the
/// claims and announces the changes. Under load a transaction carries thousands of changes; when idle,
/// a change is written as soon as it arrives.
/// </summary>
internal sealed class EngineWriter(
    IDbContextFactory<BatchMonitorDbContext> contexts,
    BatchEvents events,
    TimeProvider time,
    EngineOptions options,
    NodeIdentity node,
    NodeOptions nodeOptions,
    EngineMetrics metrics,
    ILogger<EngineWriter> logger) : IAsyncDisposable
{
    private long _lost;

    private readonly Channel<WriteCommand> _commands =
        Channel.CreateUnbounded<WriteCommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<Guid, ThroughputMeter> _meters = [];
    private Task? _loop;

    public void Start() => _loop ??= Task.Run(LoopAsync);

    /// <summary>Outcomes not written because the item was no longer this node's (its lease expired and another node took it back).</summary>
    public long LostOutcomes => Interlocked.Read(ref _lost);

    public Task<ClaimResult> ClaimAsync(Guid batchId, int max, int? runningLimit = null, bool paced = false)
    {
        var command = new ClaimCommand(batchId, max, runningLimit, paced, time.GetTimestamp());
        Enqueue(command);
        return command.Done.Task;
    }

    public void Record(BatchItem item, ItemOwner owner) => Enqueue(new OutcomeCommand(item, owner));

    public void Progress(BatchItem item) => Enqueue(new ProgressCommand(item));

    public void Log(Guid batchId, string level, string? itemKey, string message) =>
        Enqueue(new LogCommand(batchId, time.GetUtcNow().UtcDateTime, level, itemKey, message));

    public void SkipGroup(Guid batchId, string handler, string group, string reason) =>
        Enqueue(new SkipGroupCommand(batchId, handler, group, reason));

    /// <summary>Completes when everything enqueued so far is committed and announced.</summary>
    public Task FlushAsync()
    {
        var command = new FlushCommand();
        Enqueue(command);
        return command.Done.Task;
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _commands.Writer.TryComplete();
        if (_loop is not null) await _loop;
    }

    private void Enqueue(WriteCommand command)
    {
        if (!_commands.Writer.TryWrite(command))
        {
            var error = new InvalidOperationException("The engine's writer has stopped.");
            switch (command)
            {
                case ClaimCommand claim: claim.Done.TrySetException(error); break;
                case FlushCommand flush: flush.Done.TrySetException(error); break;
            }
        }
    }

    private async Task LoopAsync()
    {
        await using var store = await OpenStoreAsync();
        var drained = new List<WriteCommand>();
        while (await _commands.Reader.WaitToReadAsync())
        {
            drained.Clear();
            while (drained.Count < options.MaxCommandsPerTransaction && _commands.Reader.TryRead(out var command))
                drained.Add(command);
            await ApplyWithRetryAsync(store, drained);
        }
    }

    private async Task<EngineStore> OpenStoreAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await EngineStore.OpenAsync(contexts, CancellationToken.None);
            }
            catch (Exception e) when (attempt < 10)
            {
                logger.LogError(e, "The engine could not open the database (attempt {Attempt}); trying again.", attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), time);
            }
        }
    }

    private async Task ApplyWithRetryAsync(EngineStore store, List<WriteCommand> commands)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var applied = await ApplyAsync(store, commands);
                Announce(applied);
                return;
            }
            catch (Exception e)
            {
                await store.RollbackAsync();
                // The transaction rolled back as a whole, so trying the same commands again is safe.
                var delay = TimeSpan.FromMilliseconds(Math.Min(5000, 50 * Math.Pow(2, Math.Min(attempt, 7))));
                logger.LogError(e, "The engine could not write {Count} change(s) (attempt {Attempt}); trying again in {Delay}.",
                    commands.Count, attempt, delay);
                await Task.Delay(delay, time);
            }
        }
    }

    private async Task<Applied> ApplyAsync(EngineStore store, List<WriteCommand> commands)
    {
        var ct = CancellationToken.None;
        var now = time.GetUtcNow().UtcDateTime;
        var applied = new Applied();
        var ledger = store.Ledger;
        await store.BeginAsync(ct);

        var leaving = new List<OutcomeCommand>();
        foreach (var command in commands)
        {
            // Outcomes are written together, in one statement, up to the next command that must see them.
            if (command is not (OutcomeCommand or ProgressCommand or LogCommand or FlushCommand))
                await WriteOutcomesAsync(ledger, leaving, applied, ct);
            switch (command)
            {
                case OutcomeCommand outcome:
                    leaving.Add(outcome);
                    break;
                case ProgressCommand progress:
                    applied.Progress[progress.Item.Id] = progress.Item;
                    break;
                case LogCommand log:
                    var seq = await store.AppendLogAsync(log.BatchId, log.At, log.Level, log.ItemKey, log.Message, ct);
                    applied.Logs(log.BatchId).Add(new LogLineView(seq, log.At, log.Level, log.ItemKey, log.Message) { BatchId = log.BatchId });
                    break;
                case ClaimCommand claim:
                    var result = await ledger.ClaimAsync(claim.BatchId, claim.Max, claim.RunningLimit,
                        new Lease(node.Name, now + nodeOptions.Lease), now, ct, claim.Paced);
                    applied.Claims.Add((claim, result));
                    foreach (var item in result.Items) applied.Item(item);
                    applied.Touched.Add(claim.BatchId);
                    break;
                case SkipGroupCommand skip:
                    if (await ledger.SkipGroupAsync(skip.BatchId, skip.Group, skip.Reason, now, ct) is var skipped and > 0)
                    {
                        applied.Skipped.Add((skip.Handler, skipped));
                        applied.ItemsReset.Add(skip.BatchId);
                        applied.Touched.Add(skip.BatchId);
                    }
                    break;
                case FlushCommand flush:
                    applied.Flushes.Add(flush);
                    break;
            }
        }

        await WriteOutcomesAsync(ledger, leaving, applied, ct);
        foreach (var item in applied.Progress.Values)
        {
            if (item.Status != ItemStatus.Running) continue;
            if (await ledger.WriteProgressAsync(item.Id, item.Progress, item.Step, ct))
            {
                applied.Item(item);
                if (item.Step is { } step) ledger.Note(item.BatchId, $"{item.Key}: {step}", null);
            }
        }
        foreach (var (batchId, finished) in applied.FinishedPerBatch)
        {
            if (!_meters.TryGetValue(batchId, out var meter)) _meters[batchId] = meter = new ThroughputMeter(time);
            meter.Add(finished);
            ledger.Note(batchId, null, Math.Round(meter.Rate(), 3));
        }
        await ledger.SaveCountersAsync(ct);
        foreach (var batchId in applied.LogLines.Keys) applied.Touched.Add(batchId);

        applied.Batches = await store.ReadBatchesAsync(applied.Touched, ct);
        await store.CommitAsync(ct);
        foreach (var batch in applied.Batches)
        {
            if (!batch.Status.IsFinished()) continue;
            _meters.Remove(batch.Id);
            store.Forget(batch.Id);
        }
        return applied;
    }

    private async Task WriteOutcomesAsync(IItemLedger ledger, List<OutcomeCommand> outcomes, Applied applied, CancellationToken ct)
    {
        if (outcomes.Count == 0) return;
        var moved = await ledger.LeaveRunningAsync(outcomes.ConvertAll(o => new LeavingItem(o.Item, o.Released)), node.Name, ct);
        for (var i = 0; i < outcomes.Count; i++)
        {
            var outcome = outcomes[i];
            if (!moved[i])
            {
                applied.Lost.Add(outcome.Item);
                continue;
            }
            applied.Item(outcome.Item);
            applied.CountOutcome(outcome);
            if (outcome.Owner is { PublishEach: true, DatasetId: { } datasetId } && outcome.To is ItemStatus.Succeeded or ItemStatus.Failed)
                await ledger.PublishRowAsync(datasetId, outcome.Item, ct);
        }
        outcomes.Clear();
    }

    /// <summary>After commit: answer claims, release flushes, announce.</summary>
    private void Announce(Applied applied)
    {
        foreach (var item in applied.Lost)
        {
            // Not running any more, or no longer under this node's lease: another node (or a stop) moved it first, and
            // its outcome stands. Counted, so a node that keeps losing items shows it.
            Interlocked.Increment(ref _lost);
            logger.LogWarning("Item {Key} of batch {BatchId}: its outcome ({Status}) was not written; the item is no longer running under this node's lease ({Node}).",
                item.Key, item.BatchId, item.Status.Name(), node.Name);
        }
        foreach (var (claim, result) in applied.Claims)
        {
            metrics.Claimed(time.GetElapsedTime(claim.AskedAt));
            claim.Done.TrySetResult(result);
        }
        Measure(applied);
        var batches = applied.Batches.ToDictionary(b => b.Id);
        foreach (var batchId in applied.Touched)
        {
            batches.TryGetValue(batchId, out var batch);
            applied.ItemViews.TryGetValue(batchId, out var items);
            applied.LogLines.TryGetValue(batchId, out var logs);
            events.Publish(new BatchChange(batchId, batch, items?.Values.ToList() ?? [], logs ?? [])
            {
                ItemsReset = applied.ItemsReset.Contains(batchId),
            });
        }
        foreach (var flush in applied.Flushes) flush.Done.TrySetResult();
    }

    /// <summary>The committed finishes, for the meters: one count per handler and outcome of this transaction.</summary>
    private void Measure(Applied applied)
    {
        foreach (var ((handler, outcome), count) in applied.Finishes) metrics.Finished(handler, outcome, count);
        foreach (var (handler, count) in applied.Skipped) metrics.Finished(handler, ItemStatus.Skipped, count);
        foreach (var (handler, duration) in applied.Durations) metrics.Duration(handler, duration);
    }

    /// <summary>What one transaction did.</summary>
    private sealed class Applied
    {
        public HashSet<Guid> Touched { get; } = [];
        public HashSet<Guid> ItemsReset { get; } = [];
        public Dictionary<long, BatchItem> Progress { get; } = [];
        public Dictionary<Guid, SortedDictionary<int, ItemView>> ItemViews { get; } = [];
        public Dictionary<Guid, List<LogLineView>> LogLines { get; } = [];
        public List<(ClaimCommand, ClaimResult)> Claims { get; } = [];
        public List<FlushCommand> Flushes { get; } = [];
        public List<BatchItem> Lost { get; } = [];
        public Dictionary<Guid, int> FinishedPerBatch { get; } = [];
        public Dictionary<(string Handler, ItemStatus Outcome), int> Finishes { get; } = [];
        public List<(string Handler, int Count)> Skipped { get; } = [];
        public List<(string Handler, TimeSpan Duration)> Durations { get; } = [];
        public List<BatchView> Batches { get; set; } = [];

        public List<LogLineView> Logs(Guid batchId)
        {
            if (!LogLines.TryGetValue(batchId, out var list)) LogLines[batchId] = list = [];
            return list;
        }

        public void Item(BatchItem item)
        {
            if (!ItemViews.TryGetValue(item.BatchId, out var views)) ItemViews[item.BatchId] = views = [];
            views[item.Index] = ItemView.From(item);
            Touched.Add(item.BatchId);
        }

        public void CountOutcome(OutcomeCommand outcome)
        {
            if (!outcome.To.IsFinished()) return;
            FinishedPerBatch[outcome.Item.BatchId] = FinishedPerBatch.GetValueOrDefault(outcome.Item.BatchId) + 1;
            var finish = (outcome.Owner.Handler, outcome.To);
            Finishes[finish] = Finishes.GetValueOrDefault(finish) + 1;
            if (outcome.Item.DurationMs is { } ms) Durations.Add((outcome.Owner.Handler, TimeSpan.FromMilliseconds(ms)));
        }
    }
}
