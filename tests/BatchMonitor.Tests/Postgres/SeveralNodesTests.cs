using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Engine.Writing;
using BatchMonitor.Core.Nodes;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Postgres;

/// <summary>
/// Two engines (two hosts in this test process, each its own node name, one shared fake clock) on one PostgreSQL
/// database: they share a batch, its concurrency holds across both, and one that stops renewing its leases loses its
/// items to the other after the lease time.
/// </summary>
public sealed class SeveralNodesTests
{
    /// <summary>Handler calls running at once, counted across both nodes.</summary>
    private sealed class Overlap
    {
        private int _current;
        private int _max;
        public int Max => Volatile.Read(ref _max);

        public async Task RunAsync(Func<Task> work)
        {
            var now = Interlocked.Increment(ref _current);
            int seen;
            while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }
            try
            {
                await work();
            }
            finally
            {
                Interlocked.Decrement(ref _current);
            }
        }
    }

    private static async Task<EngineHarness> NodeAsync(TestDatabase database, FakeTimeProvider time, string name, double leaseSeconds = 30)
    {
        var h = await TestStore.Postgres.HarnessAsync(database: database, time: time,
            node: new NodeOptions { Name = name, HeartbeatSeconds = 5, LeaseSeconds = leaseSeconds });
        // Started once its row is written and its heartbeat is on the clock.
        await Wait.UntilAsync(() => h.Heartbeat.Started, $"{name} to start");
        return h;
    }

    /// <summary>The other engine would see the batch at its next tick (within a minute); wake it now instead of moving the clock a minute.</summary>
    private static void Wake(EngineHarness h) => h.Services.GetRequiredService<EngineSignals>().Wake();

    /// <summary>Moves the shared clock in quarter seconds until the batch reaches the status.</summary>
    private static async Task<BatchView> RunUntilAsync(EngineHarness h, FakeTimeProvider time, Guid id, BatchStatus status)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var step = 0; ; step++)
        {
            if (step % 20 == 0 && await h.GetAsync(id) is { } batch && batch.Status == status) return batch;
            if (watch.Elapsed > TimeSpan.FromMinutes(8)) throw new TimeoutException($"Gave up waiting: batch {id} to become {status}");
            time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(2);
        }
    }

    [Fact]
    public async Task Two_nodes_share_a_batch_every_item_runs_once_and_its_concurrency_holds_across_both()
    {
        const int count = 5000;
        await using var database = await TestStore.Postgres.CreateDatabaseAsync();
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        // Leases far longer than the test's clock moves: this test is about sharing, not about taking back.
        await using var a = await NodeAsync(database, time, "node-a", leaseSeconds: 3600);
        await using var b = await NodeAsync(database, time, "node-b", leaseSeconds: 3600);
        var overlap = new Overlap();
        foreach (var h in new[] { a, b })
            h.Handler.Behaviour = async (_, _) =>
            {
                await overlap.RunAsync(() => Task.Delay(1));
                return null;
            };

        var batch = await a.CreateAsync(count, new OptionsInput { Concurrency = 8, ItemTimeoutMs = 86_400_000 });
        Wake(b);
        // A node that finds every slot taken by the other looks again shortly, on the clock: keep it moving. Thousands of
        // items on a PostgreSQL server that shares the test run's cores may take minutes under load: the limit says
        // when to call it a hang.
        var completed = await RunUntilAsync(a, time, batch.Id, BatchStatus.Completed);

        var calls = a.Handler.Calls.Concat(b.Handler.Calls).ToList();
        Assert.Equal(count, completed.Succeeded);
        Assert.Equal(count, calls.Count);
        Assert.Equal(count, calls.Select(c => c.Key).Distinct().Count());
        Assert.All(calls, c => Assert.Equal(1, c.Attempt));
        // Each node holds at most its even share of the 8 slots while both are up, so neither runs nearly all of them.
        Assert.True(a.Handler.Calls.Count > count / 5 && b.Handler.Calls.Count > count / 5,
            $"both nodes ran a fair part of the items (node-a {a.Handler.Calls.Count}, node-b {b.Handler.Calls.Count})");
        Assert.InRange(overlap.Max, 1, 8);
        await a.AssertCountersMatchItemsAsync(batch.Id);
    }

    [Fact]
    public async Task A_node_that_stops_renewing_loses_its_items_to_the_other_after_the_lease_time_and_cannot_write_them()
    {
        await using var database = await TestStore.Postgres.CreateDatabaseAsync();
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        await using var a = await NodeAsync(database, time, "node-a");
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Handler.Behaviour = async (_, _) =>
        {
            await hung.Task; // node-a's items never end while it is "dead"
            return null;
        };

        var batch = await a.CreateAsync(40, new OptionsInput { Concurrency = 4, ItemTimeoutMs = 86_400_000 });
        await Wait.UntilAsync(() => a.Handler.Running == 4, "node-a to run 4 items");
        // node-a dies: no more heartbeats, so no renewals, and its host is gone.
        await a.Heartbeat.DisposeAsync();
        a.Abandon();
        // node-b starts now: at its start it takes nothing of node-a's (not its own, not expired).
        await using var b = await NodeAsync(database, time, "node-b");
        Wake(b);

        async Task StepAsync(int seconds)
        {
            for (var s = 0; s < seconds; s++)
            {
                var before = b.Heartbeat.Beats;
                time.Advance(TimeSpan.FromSeconds(1));
                if (time.UtcNow.Second % 5 == 0) await Wait.UntilAsync(() => b.Heartbeat.Beats > before, "node-b's heartbeat");
            }
        }

        // Before the lease time node-b takes none of them, and none of its own: the batch's 4 slots are node-a's.
        await StepAsync(25);
        Assert.Empty(b.Handler.Calls);
        var stalled = await b.GetAsync(batch.Id);
        Assert.Equal((4, 36, 0), (stalled.Running, stalled.Pending, stalled.Succeeded));

        // 30 s after node-a's claims its leases have run out: node-b takes its items back and finishes the batch.
        await StepAsync(5);
        var completed = await RunUntilAsync(b, time, batch.Id, BatchStatus.Completed);
        Assert.Equal(40, completed.Succeeded);
        Assert.Equal(40, b.Handler.Calls.Count);
        var retaken = a.Handler.Calls.Select(c => c.Key).ToHashSet();
        Assert.Equal(4, retaken.Count);
        Assert.All(await b.ItemsAsync(batch.Id), i => Assert.Equal(retaken.Contains(i.Key) ? 2 : 1, i.Attempts));
        await b.AssertCountersMatchItemsAsync(batch.Id);

        // node-a wakes up and finishes its old attempts: nothing of it is written.
        var writer = a.Services.GetRequiredService<EngineWriter>();
        hung.SetResult();
        await Wait.UntilAsync(() => writer.LostOutcomes == 4, "node-a's 4 outcomes to be refused");
        Assert.Equal(40, (await b.GetAsync(batch.Id)).Succeeded);
        await b.AssertCountersMatchItemsAsync(batch.Id);
    }
}
