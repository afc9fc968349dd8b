using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Storage.Ledger;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Storage;

public class ItemLedgerTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in ItemLedgerTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Theory]
    [InlineData("cancel")]
    [InlineData("time out")]
    public async Task An_attempt_that_fails_after_its_batch_ended_is_cancelled_not_left_waiting_for_a_retry(string end)
    {
        await using var h = await Store.HarnessAsync(start: false);
        var batch = await h.CreateAsync(3);
        var contexts = h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("UPDATE batches SET status = 'running' WHERE id = {0}", SqlValues.Id(db.Database.GetDbConnection(), batch.Id));
        await using var ledger = ItemLedger.For(db);

        await using (var claim = await db.Database.BeginTransactionAsync())
        {
            var claimed = await ledger.ClaimAsync(batch.Id, 1, null, new Lease("a", h.Time.UtcNow.AddSeconds(30)), h.Time.UtcNow, CancellationToken.None);
            await ledger.SaveCountersAsync(CancellationToken.None);
            await claim.CommitAsync();
            var item = Assert.Single(claimed.Items);

            // The batch ends while the item runs: its pending items are cancelled, the running one is left to its runner.
            var transitions = h.Services.GetRequiredService<Core.Engine.BatchTransitions>();
            Assert.True((end == "cancel" ? await transitions.CancelAsync(batch.Id) : await transitions.TimeOutAsync(batch.Id)).IsOk);

            // Then the item's attempt fails with attempts left.
            item.RetryLater(h.Time.UtcNow, "timed out after 30 s", h.Time.UtcNow.AddSeconds(1));
            await using var finish = await db.Database.BeginTransactionAsync();
            Assert.True(await ledger.FinishAsync(item, "a", CancellationToken.None));
            await ledger.SaveCountersAsync(CancellationToken.None);
            await finish.CommitAsync();
        }

        var stored = await h.Batches.GetAsync(batch.Id);
        Assert.Equal((0, 0, 3), (stored!.Pending, stored.Running, stored.Cancelled));
        await LedgerAssert.CountersMatchItemsAsync(h, batch.Id);
    }
    /// <summary>Claims <paramref name="count"/> items of a running batch for <paramref name="node"/>, leased until <paramref name="expires"/>.</summary>
    private static async Task<List<BatchItem>> ClaimAsync(BatchMonitorDbContext db, IItemLedger ledger, Guid batchId, int count, string node,
        DateTime now, DateTime expires, int? runningLimit = null)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var claimed = await ledger.ClaimAsync(batchId, count, runningLimit, new Lease(node, expires), now, CancellationToken.None);
        await ledger.SaveCountersAsync(CancellationToken.None);
        await transaction.CommitAsync();
        return [.. claimed.Items];
    }

    private static async Task<(int, int)> RescueAsync(BatchMonitorDbContext db, IItemLedger ledger, Guid batchId, DateTime now, RescueScope scope)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var rescued = await ledger.RescueAsync(batchId, 3, now, scope, CancellationToken.None);
        await ledger.SaveCountersAsync(CancellationToken.None);
        await transaction.CommitAsync();
        return rescued;
    }

    private async Task<(EngineHarness H, BatchMonitorDbContext Db, IItemLedger Ledger, Guid BatchId)> RunningBatchAsync(int items)
    {
        var h = await Store.HarnessAsync(start: false);
        var batch = await h.CreateAsync(items);
        var db = await h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("UPDATE batches SET status = 'running' WHERE id = {0}", SqlValues.Id(db.Database.GetDbConnection(), batch.Id));
        return (h, db, ItemLedger.For(db), batch.Id);
    }

    private static async Task<Dictionary<string, (string Status, int Attempts, string? Node)>> ItemsAsync(BatchMonitorDbContext db, Guid batchId) =>
        (await db.Items.AsNoTracking().Where(i => i.BatchId == batchId).ToListAsync())
        .ToDictionary(i => i.Key, i => (i.Status.Name(), i.Attempts, i.LeaseNode));

    [Fact]
    public async Task A_claim_leases_its_items_to_the_claiming_node_and_a_renewal_moves_only_that_node_s_leases()
    {
        var (h, db, ledger, id) = await RunningBatchAsync(2);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        var now = h.Time.UtcNow;
        var a = Assert.Single(await ClaimAsync(db, ledger, id, 1, "node-a", now, now.AddSeconds(30)));
        var b = Assert.Single(await ClaimAsync(db, ledger, id, 1, "node-b", now, now.AddSeconds(30)));

        await using (var renew = await db.Database.BeginTransactionAsync())
        {
            Assert.Equal(1, await ledger.RenewLeasesAsync(id, new Lease("node-a", now.AddSeconds(90)), CancellationToken.None));
            await renew.CommitAsync();
        }
        var leases = (await db.Items.AsNoTracking().Where(i => i.BatchId == id).ToListAsync()).ToDictionary(i => i.Id);
        Assert.Equal(("node-a", now.AddSeconds(90)), (leases[a.Id].LeaseNode, leases[a.Id].LeaseExpiresAt));
        Assert.Equal(("node-b", now.AddSeconds(30)), (leases[b.Id].LeaseNode, leases[b.Id].LeaseExpiresAt));
    }

    [Fact]
    public async Task An_expired_lease_of_another_node_is_taken_back_with_its_attempt_counted_and_a_live_one_is_left_alone()
    {
        var (h, db, ledger, id) = await RunningBatchAsync(3);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        var now = h.Time.UtcNow;
        await ClaimAsync(db, ledger, id, 1, "dead", now, now.AddSeconds(30));      // k0: its node stopped renewing
        await ClaimAsync(db, ledger, id, 1, "alive", now, now.AddSeconds(90));     // k1: renewed, still current
        await ClaimAsync(db, ledger, id, 1, "me", now, now.AddSeconds(30));        // k2: the rescuer's own

        // 31 s later, on a heartbeat of "me": only the dead node's item goes back, its attempt counted.
        Assert.Equal((1, 0), await RescueAsync(db, ledger, id, now.AddSeconds(31), new RescueScope("me", AtStart: false)));
        var items = await ItemsAsync(db, id);
        Assert.Equal(("pending", 1, (string?)null), items["k0"]);
        Assert.Equal(("running", 1, "alive"), items["k1"]);
        Assert.Equal(("running", 1, "me"), items["k2"]);

        // At a start of "me": its own earlier item comes back too; the live node's not on PostgreSQL, where nodes share the
        // database. SQLite has one node, so everything left running at its start is its own, whatever its name was.
        Assert.Equal((Store.IsPostgres ? 1 : 2, 0), await RescueAsync(db, ledger, id, now.AddSeconds(31), new RescueScope("me", AtStart: true)));
        items = await ItemsAsync(db, id);
        Assert.Equal(("pending", 1, (string?)null), items["k2"]);
        Assert.Equal(Store.IsPostgres ? ("running", 1, "alive") : ("pending", 1, null), items["k1"]);
        await LedgerAssert.CountersMatchItemsAsync(h, id);
    }

    [Fact]
    public async Task A_node_whose_lease_was_taken_back_does_not_write_the_item_s_outcome()
    {
        var (h, db, ledger, id) = await RunningBatchAsync(1);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        var now = h.Time.UtcNow;
        var item = Assert.Single(await ClaimAsync(db, ledger, id, 1, "slow", now, now.AddSeconds(30)));
        await RescueAsync(db, ledger, id, now.AddSeconds(31), new RescueScope("other", AtStart: false));
        // The other node runs it again meanwhile.
        Assert.Single(await ClaimAsync(db, ledger, id, 1, "other", now.AddSeconds(32), now.AddSeconds(62)));

        item.Succeed(now.AddSeconds(40), null);
        await using (var finish = await db.Database.BeginTransactionAsync())
        {
            Assert.False(await ledger.FinishAsync(item, "slow", CancellationToken.None));
            await ledger.SaveCountersAsync(CancellationToken.None);
            await finish.CommitAsync();
        }
        Assert.Equal(("running", 2, "other"), (await ItemsAsync(db, id))["k0"]);
        await LedgerAssert.CountersMatchItemsAsync(h, id);
    }

    [Fact]
    public async Task Many_items_leave_running_in_one_write_each_moved_or_refused_on_its_own()
    {
        var (h, db, ledger, id) = await RunningBatchAsync(5);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        var now = h.Time.UtcNow;
        var items = await ClaimAsync(db, ledger, id, 4, "a", now, now.AddSeconds(30));
        var stranger = Assert.Single(await ClaimAsync(db, ledger, id, 1, "b", now, now.AddSeconds(30)));
        items[0].Succeed(now.AddSeconds(1), "{\"n\":1}");
        items[1].Fail(now.AddSeconds(1), "it's \"quoted\"\n and ünïcode");
        items[2].RetryLater(now.AddSeconds(1), "again", now.AddSeconds(5));
        items[3].Release();
        stranger.Succeed(now.AddSeconds(1), null);

        bool[] moved;
        await using (var finish = await db.Database.BeginTransactionAsync())
        {
            moved = await ledger.LeaveRunningAsync(
            [
                new LeavingItem(items[0], false), new LeavingItem(stranger, false), new LeavingItem(items[1], false),
                new LeavingItem(items[2], false), new LeavingItem(items[3], true),
            ], "a", CancellationToken.None);
            await ledger.SaveCountersAsync(CancellationToken.None);
            await finish.CommitAsync();
        }

        // Node b's item is not node a's to finish: refused, and it keeps running; the others moved, each as its own.
        Assert.Equal([true, false, true, true, true], moved);
        var stored = await db.Items.AsNoTracking().Where(i => i.BatchId == id).OrderBy(i => i.Index).ToListAsync();
        Assert.Equal([ItemStatus.Succeeded, ItemStatus.Failed, ItemStatus.Pending, ItemStatus.Pending, ItemStatus.Running],
            stored.Select(i => i.Status));
        Assert.Equal(("{\"n\":1}", "it's \"quoted\"\n and ünïcode"), (stored[0].ResultJson, stored[1].Error));
        Assert.Equal((now.AddSeconds(1), 1000L), (stored[0].FinishedAt!.Value, stored[0].DurationMs!.Value));
        Assert.Equal(now.AddSeconds(5), stored[2].NextAttemptAt);
        Assert.Null(stored[3].NextAttemptAt);
        await LedgerAssert.CountersMatchItemsAsync(h, id);
    }

    [Fact]
    public async Task Items_leaving_with_the_same_values_store_each_of_them_as_items_leaving_with_different_ones_do()
    {
        // A column with one value in every row is bound once (not read out of each row): what is stored must not differ.
        var (h, db, ledger, id) = await RunningBatchAsync(6);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        var now = h.Time.UtcNow;
        var items = await ClaimAsync(db, ledger, id, 6, "a", now, now.AddSeconds(30));
        foreach (var item in items[..3])
        {
            item.ReportProgress(0.5, "fetching");
            item.Succeed(now.AddSeconds(2), "{\"ok\":true}");
        }
        items[3].ReportProgress(0.25, "one");
        items[3].Succeed(now.AddSeconds(3), "{\"ok\":1}");
        items[4].Succeed(now.AddSeconds(4), null);
        items[5].Fail(now.AddSeconds(5), "down");

        async Task LeaveAsync(IEnumerable<BatchItem> leaving)
        {
            await using var finish = await db.Database.BeginTransactionAsync();
            Assert.All(await ledger.LeaveRunningAsync([.. leaving.Select(i => new LeavingItem(i, false))], "a", CancellationToken.None), Assert.True);
            await ledger.SaveCountersAsync(CancellationToken.None);
            await finish.CommitAsync();
        }
        await LeaveAsync(items[..3]);       // every column the same but the id
        await LeaveAsync(items[3..5]);      // the status the same, the rest not
        await LeaveAsync([items[5]]);       // one row: every column bound once

        var stored = await db.Items.AsNoTracking().Where(i => i.BatchId == id).OrderBy(i => i.Index).ToListAsync();
        object Row(BatchItem i) => (i.Status, i.Attempts, i.Progress, i.Step, i.NextAttemptAt, i.StartedAt, i.FinishedAt, i.DurationMs,
            i.ResultJson, i.Error);
        Assert.Equal(items.Select(Row), stored.Select(Row));
        Assert.Equal((ItemStatus.Succeeded, 1.0, "fetching", now.AddSeconds(2), 2000L, "{\"ok\":true}", "a"),
            (stored[1].Status, stored[1].Progress, stored[1].Step, stored[1].FinishedAt!.Value, stored[1].DurationMs!.Value, stored[1].ResultJson, stored[1].LeaseNode));
        Assert.Equal((ItemStatus.Failed, "down", (string?)null, now.AddSeconds(5)), (stored[5].Status, stored[5].Error, stored[5].LeaseNode, stored[5].FinishedAt!.Value));
        Assert.All(stored, i => Assert.Null(i.LeaseExpiresAt));
        // A time written as a bound value and one read out of a row are stored alike, so they compare and sort alike.
        Assert.Equal(6, await db.Items.CountAsync(i => i.BatchId == id && i.FinishedAt >= now.AddSeconds(2) && i.StartedAt == now));
        await LedgerAssert.CountersMatchItemsAsync(h, id);
    }

    /// <summary>On PostgreSQL (nodes share it) the running limit counts every node's items; SQLite has one node, whose runner keeps its own slots.</summary>
    [Fact]
    public async Task A_claim_leaves_at_most_the_running_limit_of_the_batch_s_items_running_whichever_node_claims()
    {
        var (h, db, ledger, id) = await RunningBatchAsync(10);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        var now = h.Time.UtcNow;
        Assert.Equal(3, (await ClaimAsync(db, ledger, id, 3, "a", now, now.AddSeconds(30), runningLimit: 4)).Count);
        Assert.Equal(Store.IsPostgres ? 1 : 3, (await ClaimAsync(db, ledger, id, 3, "b", now, now.AddSeconds(30), runningLimit: 4)).Count);
        if (!Store.IsPostgres)
        {
            await LedgerAssert.CountersMatchItemsAsync(h, id);
            return;
        }
        await using (var full = await db.Database.BeginTransactionAsync())
        {
            var result = await ledger.ClaimAsync(id, 3, 4, new Lease("b", now.AddSeconds(30)), now, CancellationToken.None);
            Assert.Empty(result.Items);
            Assert.True(result.AtLimit);
            await full.CommitAsync();
        }
        await LedgerAssert.CountersMatchItemsAsync(h, id);
    }
}
