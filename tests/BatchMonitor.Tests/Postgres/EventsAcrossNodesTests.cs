using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Events.AcrossNodes;
using BatchMonitor.Core.Nodes;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using BatchMonitor.Tests.Scheduling;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Postgres;

/// <summary>
/// Two nodes on one PostgreSQL database (two hosts in this process, one shared fake clock): what one commits reaches
/// the other's subscribers and engine by LISTEN/NOTIFY, and a schedule's occurrence fires once whichever nodes are up.
/// </summary>
public sealed class EventsAcrossNodesTests
{
    private static async Task<EngineHarness> NodeAsync(TestDatabase database, FakeTimeProvider time, string name, bool runsBatches = true)
    {
        var h = await TestStore.Postgres.HarnessAsync(database: database, time: time,
            options: new EngineOptions { EventWindow = TimeSpan.Zero, ProgressInterval = TimeSpan.Zero, RetryJitter = 0, RunsBatches = runsBatches },
            node: new NodeOptions { Name = name, HeartbeatSeconds = 5, LeaseSeconds = 3600, NoticeMilliseconds = 50 });
        if (runsBatches) await Wait.UntilAsync(() => h.Heartbeat.Started, $"{name} to start");
        // Listening once it has caught up after connecting (it announces every active batch then; there is none yet).
        await Wait.UntilAsync(() => h.Services.GetRequiredService<ChangeReceiver>().Connections > 0, $"{name} to listen");
        return h;
    }

    /// <summary>Moves the shared clock (the relay's window is on it) until the condition holds.</summary>
    private static async Task StepUntilAsync(FakeTimeProvider time, Func<Task<bool>> done, string what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!await done())
        {
            if (watch.Elapsed > Wait.Limit * 3) throw new TimeoutException($"Gave up waiting: {what}");
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task A_node_that_runs_no_batches_hears_every_change_of_a_batch_another_node_runs_to_the_end()
    {
        await using var database = await TestStore.Postgres.CreateDatabaseAsync();
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        await using var a = await NodeAsync(database, time, "node-a");
        await using var b = await NodeAsync(database, time, "node-b", runsBatches: false);
        a.Handler.Behaviour = (item, _) =>
        {
            item.Log($"ran {item.Key}");
            return Task.FromResult<System.Text.Json.Nodes.JsonNode?>(null);
        };

        var heard = new List<BatchChange>();
        using var all = b.Events.SubscribeAll(change =>
        {
            lock (heard) heard.Add(change);
            return Task.CompletedTask;
        });
        var batch = await a.CreateAsync(30, new OptionsInput { Concurrency = 2 });
        // node-b re-reads as it hears: the batch row it reads may already be further on than the items of the notice
        // it is reading for (pages show the newest row), so wait until it has heard every item's end too.
        await StepUntilAsync(time, () =>
        {
            lock (heard)
                return Task.FromResult(heard.Any(c => c.Batch?.Status == BatchStatus.Completed)
                                       && heard.SelectMany(c => c.Items).Where(i => i.Status == ItemStatus.Succeeded).Select(i => i.Index).Distinct().Count() == 30
                                       && heard.SelectMany(c => c.Logs).Count(l => l.Message.StartsWith("ran k", StringComparison.Ordinal)) >= 30);
        }, "node-b to hear the batch and its 30 items complete");

        List<BatchChange> changes;
        lock (heard) changes = [.. heard.Where(c => c.BatchId == batch.Id)];
        Assert.Empty(b.Handler.Calls);
        Assert.Equal(30, a.Handler.Calls.Count);
        // It heard the batch as it went (not only its end); the finished count only ever grew; the last says completed, 30 done.
        Assert.True(changes.Count(c => c.Batch is not null) > 2, $"node-b heard {changes.Count} changes");
        var finished = changes.Where(c => c.Batch is not null).Select(c => c.Batch!.Finished).ToList();
        Assert.Equal(finished.OrderBy(f => f), finished);
        Assert.Equal((BatchStatus.Completed, 30), (changes.Last(c => c.Batch is not null).Batch!.Status, changes.Last(c => c.Batch is not null).Batch!.Finished));
        // Items and log lines came with the notices, read back from the database by node-b.
        var items = changes.SelectMany(c => c.Items).Where(i => i.Status == ItemStatus.Succeeded).Select(i => i.Key).ToHashSet();
        Assert.Equal(30, items.Count);
        var logs = changes.SelectMany(c => c.Logs).Select(l => l.Message).ToList();
        Assert.Equal(30, logs.Count(m => m.StartsWith("ran k", StringComparison.Ordinal)));
        Assert.Equal(changes.SelectMany(c => c.Logs).Select(l => l.Seq).Distinct().Count(), changes.SelectMany(c => c.Logs).Count());
    }

    [Fact]
    public async Task A_cancel_on_one_node_interrupts_the_items_the_other_node_runs()
    {
        await using var database = await TestStore.Postgres.CreateDatabaseAsync();
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        // node-a serves the user who creates and cancels; node-b runs the items, which run until they are cancelled.
        await using var a = await NodeAsync(database, time, "node-a", runsBatches: false);
        await using var b = await NodeAsync(database, time, "node-b");
        b.Handler.Behaviour = async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        };

        var batch = await a.CreateAsync(20, new OptionsInput { Concurrency = 4, ItemTimeoutMs = 86_400_000 });
        // node-b hears of the new batch at once (its own engine would look only at its next tick, a minute on).
        await StepUntilAsync(time, async () => b.Handler.Running == 4 && (await a.GetAsync(batch.Id)).Running == 4,
            "node-b to run 4 items of the batch");

        var cancelled = await a.Batches.CancelAsync(batch.Id, Core.Access.Actor.Admin("test"));
        Assert.True(cancelled.IsOk);
        // node-b interrupts its items at once (it heard the cancel); they would otherwise run for ever.
        await StepUntilAsync(time, () => Task.FromResult(b.Handler.Running == 0 && a.Handler.Running == 0), "both nodes to stop their items");
        await StepUntilAsync(time, async () => (await a.GetAsync(batch.Id)).Running == 0, "the interrupted items to be written");
        var after = await a.GetAsync(batch.Id);
        Assert.Equal((BatchStatus.Cancelled, 0, 0, 20), (after.Status, after.Running, after.Pending, after.Cancelled));
        await a.AssertCountersMatchItemsAsync(batch.Id);
    }

    [Fact]
    public async Task Each_occurrence_of_a_schedule_fires_once_with_two_nodes_up()
    {
        await using var database = await TestStore.Postgres.CreateDatabaseAsync();
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        await using var a = await NodeAsync(database, time, "node-a");
        await using var b = await NodeAsync(database, time, "node-b");
        var schedule = await a.CreateScheduleAsync(ScheduleHarness.EveryMinute());

        const int fires = 6;
        for (var f = 1; f <= fires; f++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            var now = time.GetUtcNow().UtcDateTime;
            // Both schedulers are told to look at the same moment, as two nodes' clocks would bring them there.
            await Wait.UntilAsync(async () =>
            {
                a.Services.GetRequiredService<ScheduleSignals>().Wake();
                b.Services.GetRequiredService<ScheduleSignals>().Wake();
                return (await a.Schedules().GetAsync(schedule.Id))!.LastRunAt >= now;
            }, $"fire {f} to be handled");
            // Its batch ends before the next fire (the scripted handler's items take no time), on whichever node runs it.
            await StepUntilAsync(time, async () => (await a.Batches.ListAsync(new BatchListQuery())).Items.All(x => x.Status.IsFinished()),
                $"the run of fire {f} to finish");
        }
        // Give both schedulers one more look at the last moment: nothing is due any more.
        a.Services.GetRequiredService<ScheduleSignals>().Wake();
        b.Services.GetRequiredService<ScheduleSignals>().Wake();
        await Task.Delay(200);

        await using var db = await a.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        var runs = await db.ScheduleRuns.AsNoTracking().Where(r => r.ScheduleId == schedule.Id).ToListAsync();
        Assert.Equal(fires, runs.Count);
        Assert.All(runs, r => Assert.Equal(RunOutcome.Started, r.Outcome));
        Assert.Equal(fires, runs.Select(r => r.FireAt).Distinct().Count());
        Assert.Equal(fires, await db.Batches.CountAsync(x => x.ScheduleId == schedule.Id));
    }
}
