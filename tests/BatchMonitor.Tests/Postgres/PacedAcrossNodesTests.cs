using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Nodes;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Postgres;

/// <summary>
/// A paced batch (ratePerSecond, delayBetweenItemsMs) on two engines sharing one PostgreSQL database keeps its pace
/// across both: one node holds the batch while it is up, and the other takes over when that node dies.
/// </summary>
public sealed class PacedAcrossNodesTests
{
    private sealed record Start(string Node, string Key, DateTime At);

    /// <summary>
    /// A node that dies dies in the item it starts next: its tie to the database is cut there (the item stays running
    /// under its lease) and the handler never returns, as a killed process would never finish it.
    /// </summary>
    private readonly HashSet<string> _dead = [];
    private readonly Dictionary<string, DatabaseCord> _cords = [];
    private readonly TaskCompletionSource _buried = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task<EngineHarness> NodeAsync(TestDatabase database, FakeTimeProvider time, string name, List<Start> starts)
    {
        var cord = _cords[name] = new DatabaseCord();
        var h = await TestStore.Postgres.HarnessAsync(database: database, time: time,
            node: new NodeOptions { Name = name, HeartbeatSeconds = 5, LeaseSeconds = 30 },
            configure: services => services.ConfigureDbContext<PostgresBatchMonitorDbContext>(o => o.AddInterceptors(cord)));
        await Wait.UntilAsync(() => h.Heartbeat.Started, $"{name} to start");
        h.Handler.Behaviour = async (item, _) =>
        {
            bool dead;
            lock (starts)
            {
                starts.Add(new Start(name, item.Key, item.Time.GetUtcNow().UtcDateTime));
                dead = _dead.Contains(name);
            }
            if (dead)
            {
                cord.Cut();
                await _buried.Task;
            }
            return null;
        };
        return h;
    }

    private static void Wake(EngineHarness h) => h.Services.GetRequiredService<EngineSignals>().Wake();

    private static async Task<BatchView> RunUntilAsync(EngineHarness h, FakeTimeProvider time, Guid id, BatchStatus status, TimeSpan step)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; ; i++)
        {
            if (i % 10 == 0 && await h.GetAsync(id) is { } batch && batch.Status == status) return batch;
            if (watch.Elapsed > TimeSpan.FromMinutes(4)) throw new TimeoutException($"Gave up waiting: batch {id} to become {status}");
            time.Advance(step);
            await Task.Delay(3);
        }
    }

    [Fact]
    public async Task A_rate_holds_across_two_nodes()
    {
        await using var database = await TestStore.Postgres.CreateDatabaseAsync();
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var starts = new List<Start>();
        await using var a = await NodeAsync(database, time, "node-a", starts);
        await using var b = await NodeAsync(database, time, "node-b", starts);

        var batch = await a.CreateAsync(60, new OptionsInput { Concurrency = 4, RatePerSecond = 10 });
        Wake(b);
        var completed = await RunUntilAsync(a, time, batch.Id, BatchStatus.Completed, TimeSpan.FromMilliseconds(50));

        Assert.Equal(60, completed.Succeeded);
        // One node held the batch while both were up, so its pace was the batch's: about 10 starts in any second of the
        // clock (a start is seen when its handler runs, up to a clock step after its turn), where each node alone allows 10.
        Assert.Single(starts.Select(s => s.Node).Distinct());
        var at = starts.Select(s => s.At).Order().ToList();
        var busiest = at.Max(t => at.Count(u => u >= t && u < t.AddSeconds(1)));
        Assert.InRange(busiest, 1, 11);
        await a.AssertCountersMatchItemsAsync(batch.Id);
    }

    [Fact]
    public async Task A_node_whose_own_heartbeat_stopped_lets_go_of_the_pace_once_the_heartbeat_is_older_than_the_lease()
    {
        await using var database = await TestStore.Postgres.CreateDatabaseAsync();
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var starts = new List<Start>();
        await using var a = await NodeAsync(database, time, "node-a", starts);
        var batch = await a.CreateAsync(100, new OptionsInput { Concurrency = 1, DelayBetweenItemsMs = 1000 });
        await Wait.UntilAsync(() => { lock (starts) return starts.Count >= 1; }, "the first item to start");

        // Its heartbeat stalls while its engine goes on: after the lease time the other nodes count it as gone and may
        // hold the batch themselves, so it must not go on holding it.
        await a.Heartbeat.DisposeAsync();
        for (var i = 0; i < 50 * 4; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(3);
        }

        // When each item was claimed, as the claim's clock read it (the handler starts a moment later, and the clock
        // moves on meanwhile), against the node's last heartbeat.
        DateTime lastSeen;
        List<DateTime> claimed;
        await using (var db = await a.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync())
        {
            lastSeen = await db.Nodes.Where(n => n.Name == "node-a").Select(n => n.LastSeenAt).SingleAsync();
            claimed = await db.Items.Where(i => i.BatchId == batch.Id && i.StartedAt != null).Select(i => i.StartedAt!.Value).ToListAsync();
        }
        Assert.InRange(claimed.Count, 2, 40);
        Assert.All(claimed, t => Assert.True(t <= lastSeen + TimeSpan.FromSeconds(30),
            $"an item was claimed at {t:mm:ss.fff}, its node last seen at {lastSeen:mm:ss.fff}"));
        Assert.Equal(BatchStatus.Running, (await a.GetAsync(batch.Id))!.Status);
    }

    [Fact]
    public async Task A_pause_between_items_holds_across_two_nodes_and_the_other_node_takes_over_when_the_holder_dies()
    {
        await using var database = await TestStore.Postgres.CreateDatabaseAsync();
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var starts = new List<Start>();
        await using var a = await NodeAsync(database, time, "node-a", starts);
        await using var b = await NodeAsync(database, time, "node-b", starts);

        try
        {
            var batch = await a.CreateAsync(12, new OptionsInput { Concurrency = 1, DelayBetweenItemsMs = 1000 });
            Wake(b);
            await Wait.UntilAsync(() => { lock (starts) return starts.Count >= 1; }, "the first item to start");
            var holder = starts[0].Node == "node-a" ? a : b;
            var other = holder == a ? b : a;
            var otherName = holder == a ? "node-b" : "node-a";
            for (var i = 0; i < 5 * 20; i++)
            {
                time.Advance(TimeSpan.FromMilliseconds(50));
                await Task.Delay(3);
            }

            // The holder dies in its next item (no heartbeat, no more writes, the item never ends): the other node waits until the holder's heartbeat and
            // lease are older than the lease time, takes the item back and carries on at the same pace.
            int before;
            lock (starts)
            {
                before = starts.Count + 1; // the item the holder dies in counts as its start
                _dead.Add(holder == a ? "node-a" : "node-b");
            }
            Assert.InRange(before, 3, 8);
            await holder.Heartbeat.DisposeAsync();
            holder.Abandon();
            var completed = await RunUntilAsync(other, time, batch.Id, BatchStatus.Completed, TimeSpan.FromMilliseconds(250));
            _buried.SetResult();

            Assert.Equal(12, completed.Succeeded);
            var ordered = starts.OrderBy(s => s.At).ToList();
            var seen = string.Join(", ", ordered.Select(s => $"{s.Key}@{s.Node}:{s.At:mm:ss.fff}"));
            Assert.True((12, 13) == (ordered.Select(s => s.Key).Distinct().Count(), ordered.Count), $"12 items, 13 starts: {seen}");
            Assert.All(ordered.Take(before), s => Assert.NotEqual(otherName, s.Node));
            Assert.Contains(ordered, s => s.Node == otherName);
            // One item at a time, a second between them, whichever node ran them.
            Assert.All(ordered.Zip(ordered.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(1),
                $"{pair.First.Key} on {pair.First.Node} at {pair.First.At:ss.fff}, then {pair.Second.Key} on {pair.Second.Node} at {pair.Second.At:ss.fff}"));
            await other.AssertCountersMatchItemsAsync(batch.Id);
        }
        finally
        {
            await BuryAsync(a, "node-a", time);
            await BuryAsync(b, "node-b", time);
        }
    }

    /// <summary>
    /// Lets a dead node's remains go: its tie mended and the clock moving, so what it still tries to write (it retries on
    /// the clock) ends and it can be disposed after the checks. Nothing it writes then is looked at.
    /// </summary>
    private async Task BuryAsync(EngineHarness node, string name, FakeTimeProvider time)
    {
        _buried.TrySetResult();
        if (!_cords[name].IsCut) return;
        _cords[name].Mend();
        var disposing = node.DisposeAsync().AsTask();
        while (!disposing.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(disposing, Task.Delay(10));
        }
        await disposing;
    }
}
