using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine.Writing;
using BatchMonitor.Core.Nodes;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Storage.Ledger;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Engine;

/// <summary>A node's heartbeat row and leases, on the fake clock: SQLite here, PostgreSQL in NodeTestsOnPostgres.</summary>
public class NodeTests
{
    protected virtual TestStore Store => TestStore.Sqlite;

    private static readonly NodeOptions NodeA = new() { Name = "node-a" };

    private static async Task<List<Node>> NodesAsync(EngineHarness h)
    {
        await using var db = await h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        return await db.Nodes.AsNoTracking().ToListAsync();
    }

    private static async Task<List<BatchItem>> StoredItemsAsync(EngineHarness h, Guid batchId)
    {
        await using var db = await h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        return await db.Items.AsNoTracking().Where(i => i.BatchId == batchId).OrderBy(i => i.Index).ToListAsync();
    }

    /// <summary>A node harness whose engine has started (its row is written and its heartbeat on the clock).</summary>
    private async Task<EngineHarness> StartedAsync(bool start = true)
    {
        var h = await Store.HarnessAsync(start: start, node: NodeA);
        if (start) await UpAsync(h);
        return h;
    }

    private static Task UpAsync(EngineHarness h) => Wait.UntilAsync(() => h.Heartbeat.Started, "the node's row and heartbeat");

    /// <summary>Moves the clock one heartbeat on and waits until that heartbeat is done.</summary>
    private static async Task BeatAsync(EngineHarness h, int seconds = 5)
    {
        var before = h.Heartbeat.Beats;
        h.Time.Advance(TimeSpan.FromSeconds(seconds));
        await Wait.UntilAsync(() => h.Heartbeat.Beats > before, "a heartbeat");
    }

    [Fact]
    public async Task A_node_writes_its_row_at_start_moves_last_seen_with_the_clock_and_deletes_it_at_a_graceful_stop()
    {
        await using var h = await StartedAsync();
        var start = h.Time.UtcNow;
        var row = Assert.Single(await NodesAsync(h));
        Assert.Equal((h.Node.Id, "node-a", Environment.MachineName, start, start), (row.Id, row.Name, row.Host, row.StartedAt, row.LastSeenAt));
        Assert.False(string.IsNullOrEmpty(row.Version));

        await BeatAsync(h);
        Assert.Equal(start.AddSeconds(5), Assert.Single(await NodesAsync(h)).LastSeenAt);
        await BeatAsync(h);
        row = Assert.Single(await NodesAsync(h));
        Assert.Equal((start, start.AddSeconds(10)), (row.StartedAt, row.LastSeenAt));

        await h.StopEngineAsync();
        Assert.Empty(await NodesAsync(h));
    }

    [Fact]
    public async Task A_node_restarted_under_its_name_after_it_died_replaces_its_old_row()
    {
        await using var database = await Store.CreateDatabaseAsync();
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var first = await Store.HarnessAsync(database: database, time: time, node: NodeA);
        await UpAsync(first);
        await first.Heartbeat.DisposeAsync(); // killed: its row stays
        first.Abandon();

        await using var again = await Store.HarnessAsync(database: database, time: time, node: NodeA);
        await UpAsync(again);
        var row = Assert.Single(await NodesAsync(again));
        Assert.Equal((again.Node.Id, "node-a"), (row.Id, row.Name));
    }

    [Fact]
    public async Task A_node_shows_as_gone_once_its_heartbeat_is_older_than_the_lease_time()
    {
        await using var h = await StartedAsync();
        await using var scope = h.Services.CreateAsyncScope();
        var nodes = scope.ServiceProvider.GetRequiredService<NodeService>();
        Assert.Equal(NodeStatus.Up, Assert.Single((await nodes.ListAsync()).Items).Status);

        await h.Heartbeat.DisposeAsync(); // the process hangs: no more heartbeats
        h.Time.Advance(TimeSpan.FromSeconds(31));
        var gone = Assert.Single((await nodes.ListAsync()).Items);
        Assert.Equal((NodeStatus.Gone, "node-a"), (gone.Status, gone.Name));
    }

    [Fact]
    public async Task The_engine_renews_the_leases_of_its_running_items_on_every_heartbeat_and_the_nodes_list_shows_them()
    {
        await using var h = await StartedAsync();
        var gates = new Gates();
        h.Handler.Behaviour = async (item, ct) =>
        {
            await gates.WaitAsync(item.Key, ct);
            return null;
        };
        var batch = await h.CreateAsync(3, new OptionsInput { Concurrency = 2, ItemTimeoutMs = 3_600_000 });
        await Wait.UntilAsync(() => h.Handler.Running == 2, "two items to run");
        var start = h.Time.UtcNow;
        var leased = (await StoredItemsAsync(h, batch.Id)).Where(i => i.Status == ItemStatus.Running).ToList();
        Assert.All(leased, i => Assert.Equal(("node-a", start.AddSeconds(30)), (i.LeaseNode, i.LeaseExpiresAt)));

        await BeatAsync(h);
        leased = (await StoredItemsAsync(h, batch.Id)).Where(i => i.Status == ItemStatus.Running).ToList();
        Assert.Equal(2, leased.Count);
        Assert.All(leased, i => Assert.Equal(("node-a", start.AddSeconds(35)), (i.LeaseNode, i.LeaseExpiresAt)));
        Assert.Null((await StoredItemsAsync(h, batch.Id)).Single(i => i.Status == ItemStatus.Pending).LeaseNode);

        await using var scope = h.Services.CreateAsyncScope();
        var node = Assert.Single((await scope.ServiceProvider.GetRequiredService<NodeService>().ListAsync()).Items);
        Assert.Equal(2, node.Running);
        Assert.Equal(new NodeBatchView(batch.Id, batch.Name, 2), Assert.Single(node.Batches));
        gates.OpenAll();
        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        // The leases are over; a succeeded item keeps the name of the node that ran it (its last attempt).
        Assert.All(await StoredItemsAsync(h, batch.Id), i => Assert.Equal(("node-a", null), (i.LeaseNode, i.LeaseExpiresAt)));
    }

    [Fact]
    public async Task A_running_node_takes_back_items_whose_node_let_the_lease_expire_and_never_a_live_node_s()
    {
        // The engine starts no queued batch of its own (it still works batches that are running), so the test can lease the
        // batch's items to other nodes first, as if they had claimed them.
        await using var h = await Store.HarnessAsync(node: NodeA,
            options: new Core.Engine.EngineOptions { EventWindow = TimeSpan.Zero, ProgressInterval = TimeSpan.Zero, RetryJitter = 0, MaxRunningBatches = 0 });
        await UpAsync(h);
        var batch = await h.CreateAsync(3, new OptionsInput { Concurrency = 4, ItemTimeoutMs = 3_600_000 });
        var now = h.Time.UtcNow;
        await using (var db = await h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync())
        {
            // One transaction: the engine may look at the batch at any moment (the create woke it), and must find it
            // either queued (not its to start) or running with every item leased, never running with items still free.
            await db.Database.OpenConnectionAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync("UPDATE batches SET status = 'running', started_at = {1} WHERE id = {0}",
                SqlValues.Id(db.Database.GetDbConnection(), batch.Id), SqlValues.Time(db.Database.GetDbConnection(), now));
            await using var ledger = ItemLedger.For(db);
            foreach (var (node, lease) in new[] { ("dead", 30), ("dead", 30), ("alive", 3600) })
            {
                await ledger.ClaimAsync(batch.Id, 1, null, new Lease(node, now.AddSeconds(lease)), now, CancellationToken.None);
                await ledger.SaveCountersAsync(CancellationToken.None);
            }
            await transaction.CommitAsync();
        }

        // node-a takes nothing while the leases are current: not for 25 s of heartbeats.
        h.Services.GetRequiredService<Core.Engine.EngineSignals>().Wake();
        for (var i = 0; i < 5; i++) await BeatAsync(h);
        Assert.Empty(h.Handler.Calls);
        Assert.Equal(3, (await h.GetAsync(batch.Id)).Running);

        // 30 s after the claims the dead node's leases run out: its two items run again here, attempt counted.
        await BeatAsync(h);
        await Wait.UntilAsync(async () => (await h.GetAsync(batch.Id)).Succeeded == 2, "the dead node's items to run again");
        var items = await StoredItemsAsync(h, batch.Id);
        Assert.Equal([("succeeded", 2), ("succeeded", 2), ("running", 1)], items.Select(i => (i.Status.Name(), i.Attempts)));
        Assert.Equal("alive", items[2].LeaseNode);
        Assert.Equal(["k0", "k1"], h.Handler.Calls.Select(c => c.Key).Order());
        await h.AssertCountersMatchItemsAsync(batch.Id);
    }

    [Fact]
    public async Task A_node_whose_lease_was_taken_does_not_write_the_outcome_and_counts_it_lost()
    {
        await using var h = await StartedAsync();
        var gates = new Gates();
        h.Handler.Behaviour = async (item, ct) =>
        {
            await gates.WaitAsync(item.Key, ct);
            return null;
        };
        var batch = await h.CreateAsync(1, new OptionsInput { ItemTimeoutMs = 3_600_000 });
        await Wait.UntilAsync(() => h.Handler.Running == 1, "the item to run");

        // Another node took it back and runs it now (as its lifeline does once node-a's lease expired).
        await using (var db = await h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("UPDATE batch_items SET lease_node = 'node-b', attempts = 2 WHERE batch_id = {0}",
                SqlValues.Id(db.Database.GetDbConnection(), batch.Id));

        var writer = h.Services.GetRequiredService<EngineWriter>();
        gates.OpenAll();
        await Wait.UntilAsync(() => writer.LostOutcomes == 1, "node-a's outcome to be refused");
        var item = Assert.Single(await StoredItemsAsync(h, batch.Id));
        Assert.Equal((ItemStatus.Running, "node-b", 2), (item.Status, item.LeaseNode, item.Attempts));
        var stored = await h.GetAsync(batch.Id);
        Assert.Equal((1, 0), (stored.Running, stored.Succeeded));
        await h.AssertCountersMatchItemsAsync(batch.Id);
    }
}
