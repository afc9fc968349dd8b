using BatchMonitor.Core.Attempts;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Storage.Ledger;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Storage;

/// <summary>Every attempt that ends through the ledger (finish, rescue) leaves one row in item_attempts, in the same transaction.</summary>
public class AttemptLedgerTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in AttemptLedgerTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task Each_finish_writes_its_attempt_with_node_times_outcome_and_error_and_the_counters_still_match()
    {
        var (h, db, ledger, id) = await RunningBatchAsync(4);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        var now = h.Time.UtcNow;
        var items = await ClaimAsync(db, ledger, id, 4, "node-a", now);

        var end = now.AddMilliseconds(1500);
        items[0].Succeed(end, "{\"ok\":true}");
        items[1].Fail(end, "boom");
        items[1].Explain("System.InvalidOperationException: boom\n   at Handler.Run()");
        items[2].RetryLater(end, "flaky", end.AddSeconds(1));
        items[3].Cancel(end, "Cancelled while running.");
        await using (var finish = await db.Database.BeginTransactionAsync())
        {
            foreach (var item in items) Assert.True(await ledger.FinishAsync(item, "node-a", CancellationToken.None));
            await ledger.SaveCountersAsync(CancellationToken.None);
            await finish.CommitAsync();
        }

        var attempts = await AttemptsAsync(h, id);
        Assert.Equal(4, attempts.Count);
        Assert.All(attempts, a => Assert.Equal((1, "node-a", now, end, 1500L), (a.Attempt, a.Node, a.StartedAt!.Value, a.FinishedAt, a.DurationMs!.Value)));
        Assert.Equal(
            [(0, "succeeded", null), (1, "failed", "boom"), (2, "failed", "flaky"), (3, "cancelled", "Cancelled while running.")],
            attempts.Select(a => (a.ItemIndex, a.Outcome, a.Error)));
        Assert.StartsWith("System.InvalidOperationException: boom", attempts[1].Detail);
        Assert.Null(attempts[2].Detail);
        // The success that ended item 0 is kept in the item's own row, not written again as an attempt row.
        Assert.Equal(3, await RowsAsync(h, id));
        await LedgerAssert.CountersMatchItemsAsync(h, id);
    }

    [Fact]
    public async Task An_item_that_succeeds_after_a_failed_attempt_shows_both_in_order_and_pages_over_them()
    {
        var (h, db, ledger, id) = await RunningBatchAsync(1);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        var now = h.Time.UtcNow;
        var first = Assert.Single(await ClaimAsync(db, ledger, id, 1, "node-a", now));
        first.RetryLater(now.AddSeconds(1), "flaky", now.AddSeconds(2));
        await FinishAsync(db, ledger, first, "node-a");
        var second = Assert.Single(await ClaimAsync(db, ledger, id, 1, "node-b", now.AddSeconds(2)));
        second.Succeed(now.AddSeconds(5), null);
        await FinishAsync(db, ledger, second, "node-b");

        var shown = await AttemptsAsync(h, id);
        Assert.Equal([(1, "failed", "node-a", (string?)"flaky"), (2, "succeeded", "node-b", null)],
            shown.Select(a => (a.Attempt, a.Outcome, a.Node, a.Error)));
        Assert.Equal((now.AddSeconds(2), now.AddSeconds(5), 3000L), (shown[1].StartedAt!.Value, shown[1].FinishedAt, shown[1].DurationMs!.Value));
        var service = new AttemptService(h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>());
        var last = await service.ListAsync(id, 0, limit: 1, offset: 1);
        Assert.Equal((2, 2, "succeeded"), (last!.Total, Assert.Single(last.Items).Attempt, last.Items[0].Outcome));
        var firstPage = await service.ListAsync(id, 0, limit: 1, offset: 0);
        Assert.Equal((2, 1), (firstPage!.Total, Assert.Single(firstPage.Items).Attempt));
        Assert.Equal(1, await RowsAsync(h, id));
    }

    private static async Task FinishAsync(BatchMonitorDbContext db, IItemLedger ledger, BatchItem item, string node)
    {
        await using var finish = await db.Database.BeginTransactionAsync();
        Assert.True(await ledger.FinishAsync(item, node, CancellationToken.None));
        await ledger.SaveCountersAsync(CancellationToken.None);
        await finish.CommitAsync();
    }

    [Fact]
    public async Task A_transaction_that_rolls_back_leaves_neither_the_finish_nor_its_attempt()
    {
        var (h, db, ledger, id) = await RunningBatchAsync(1);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        var item = Assert.Single(await ClaimAsync(db, ledger, id, 1, "node-a", h.Time.UtcNow));

        item.Succeed(h.Time.UtcNow, null);
        await using (var finish = await db.Database.BeginTransactionAsync())
        {
            Assert.True(await ledger.FinishAsync(item, "node-a", CancellationToken.None));
            await ledger.SaveCountersAsync(CancellationToken.None);
            await finish.RollbackAsync();
            ledger.DiscardCounters();
        }

        Assert.Empty(await AttemptsAsync(h, id));
        Assert.Equal(ItemStatus.Running, (await db.Items.AsNoTracking().SingleAsync(i => i.BatchId == id)).Status);
        await LedgerAssert.CountersMatchItemsAsync(h, id);
    }

    [Fact]
    public async Task A_finish_refused_because_another_node_took_the_item_back_writes_no_attempt()
    {
        var (h, db, ledger, id) = await RunningBatchAsync(1);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        var item = Assert.Single(await ClaimAsync(db, ledger, id, 1, "node-a", h.Time.UtcNow));

        item.Succeed(h.Time.UtcNow, null);
        await using (var finish = await db.Database.BeginTransactionAsync())
        {
            Assert.False(await ledger.FinishAsync(item, "node-b", CancellationToken.None));
            await ledger.SaveCountersAsync(CancellationToken.None);
            await finish.CommitAsync();
        }

        Assert.Empty(await AttemptsAsync(h, id));
    }

    [Fact]
    public async Task Two_hundred_and_fifty_finishes_in_one_transaction_write_every_attempt()
    {
        var (h, db, ledger, id) = await RunningBatchAsync(250);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        var items = await ClaimAsync(db, ledger, id, 250, "node-a", h.Time.UtcNow);

        await using (var finish = await db.Database.BeginTransactionAsync())
        {
            foreach (var item in items)
            {
                item.Fail(h.Time.UtcNow, $"boom {item.Index}");
                Assert.True(await ledger.FinishAsync(item, "node-a", CancellationToken.None));
            }
            await ledger.SaveCountersAsync(CancellationToken.None);
            await finish.CommitAsync();
        }

        // Failures, so every attempt has its row: 250 rows in the one insert of the transaction.
        await using var read = await h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        var rows = await read.Attempts.AsNoTracking().Where(a => a.BatchId == id).OrderBy(a => a.ItemIndex).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 250), rows.Select(a => a.ItemIndex));
        Assert.All(rows, a => Assert.Equal(($"boom {a.ItemIndex}", "failed"), (a.Error, a.Outcome)));
        await LedgerAssert.CountersMatchItemsAsync(h, id);
    }

    [Fact]
    public async Task A_rescue_at_start_and_of_an_expired_lease_writes_an_interrupted_attempt_for_each_item_it_takes_back()
    {
        var (h, db, ledger, id) = await RunningBatchAsync(3);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        var now = h.Time.UtcNow;
        await ClaimAsync(db, ledger, id, 1, "dead", now, expires: now.AddSeconds(30));
        await ClaimAsync(db, ledger, id, 1, "alive", now, expires: now.AddSeconds(90));

        var later = now.AddSeconds(31);
        await using (var rescue = await db.Database.BeginTransactionAsync())
        {
            Assert.Equal((1, 0), await ledger.RescueAsync(id, 3, later, new RescueScope("me", AtStart: false), CancellationToken.None));
            await ledger.SaveCountersAsync(CancellationToken.None);
            await rescue.CommitAsync();
        }

        var attempt = Assert.Single(await AttemptsAsync(h, id));
        Assert.Equal((0, 1, "dead", "interrupted", now, later, 31_000L),
            (attempt.ItemIndex, attempt.Attempt, attempt.Node, attempt.Outcome, attempt.StartedAt!.Value, attempt.FinishedAt, attempt.DurationMs!.Value));
        Assert.Contains("stopped renewing its lease", attempt.Error);

        // The "alive" node's item, left running, is taken back at a start of that node (its own earlier lease).
        await using (var rescue = await db.Database.BeginTransactionAsync())
        {
            Assert.Equal((1, 0), await ledger.RescueAsync(id, 3, later, new RescueScope("alive", AtStart: true), CancellationToken.None));
            await ledger.SaveCountersAsync(CancellationToken.None);
            await rescue.CommitAsync();
        }
        Assert.Equal([(0, "dead"), (1, "alive")], (await AttemptsAsync(h, id)).Select(a => (a.ItemIndex, a.Node)));
        await LedgerAssert.CountersMatchItemsAsync(h, id);
    }

    [Fact]
    public async Task A_rescue_of_a_stopping_batch_writes_an_interrupted_attempt_for_each_item_it_cancels()
    {
        var (h, db, ledger, id) = await RunningBatchAsync(3);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        await ClaimAsync(db, ledger, id, 2, "gone", h.Time.UtcNow);
        Assert.True((await h.Services.GetRequiredService<BatchTransitions>().CancelAsync(id)).IsOk);

        await using (var rescue = await db.Database.BeginTransactionAsync())
        {
            Assert.Equal(2, await ledger.RescueStoppedAsync(id, h.Time.UtcNow, new RescueScope("gone", AtStart: true), CancellationToken.None));
            await ledger.SaveCountersAsync(CancellationToken.None);
            await rescue.CommitAsync();
        }

        var attempts = await AttemptsAsync(h, id);
        Assert.Equal([(0, "interrupted"), (1, "interrupted")], attempts.Select(a => (a.ItemIndex, a.Outcome)));
        Assert.All(attempts, a => Assert.Contains("while the batch was stopping", a.Error));
        await LedgerAssert.CountersMatchItemsAsync(h, id);
    }

    [Theory]
    [InlineData("failed")]
    [InlineData("cancelled")]
    public async Task Retrying_one_failed_or_cancelled_item_makes_it_pending_with_a_fresh_allowance_and_moves_the_counters(string end)
    {
        var (h, db, ledger, id) = await RunningBatchAsync(2);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        var item = (await ClaimAsync(db, ledger, id, 1, "node-a", h.Time.UtcNow))[0];
        if (end == "failed") item.Fail(h.Time.UtcNow, "boom");
        else item.Cancel(h.Time.UtcNow, "stopped");
        await using (var finish = await db.Database.BeginTransactionAsync())
        {
            Assert.True(await ledger.FinishAsync(item, "node-a", CancellationToken.None));
            await ledger.SaveCountersAsync(CancellationToken.None);
            await finish.CommitAsync();
        }

        await using (var retry = await db.Database.BeginTransactionAsync())
        {
            Assert.Equal(end == "failed" ? ItemStatus.Failed : ItemStatus.Cancelled, await ledger.RetryItemAsync(id, 0, CancellationToken.None));
            Assert.Equal(ItemStatus.Pending, await ledger.RetryItemAsync(id, 1, CancellationToken.None));
            Assert.Null(await ledger.RetryItemAsync(id, 7, CancellationToken.None));
            await retry.CommitAsync();
        }

        var stored = await db.Items.AsNoTracking().SingleAsync(i => i.BatchId == id && i.Index == 0);
        Assert.Equal((ItemStatus.Pending, 1, 1), (stored.Status, stored.Attempts, stored.AttemptsBeforeRetry));
        await LedgerAssert.CountersMatchItemsAsync(h, id);
    }

    /// <summary>Every item's attempts as the API and the item dialog show them (<see cref="AttemptService"/>), item by item.</summary>
    private static async Task<List<Shown>> AttemptsAsync(EngineHarness h, Guid batchId)
    {
        var service = new AttemptService(h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>());
        await using var db = await h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        var shown = new List<Shown>();
        foreach (var index in await db.Items.Where(i => i.BatchId == batchId).OrderBy(i => i.Index).Select(i => i.Index).ToListAsync())
        {
            var page = await service.ListAsync(batchId, index, AttemptService.MaxLimit);
            shown.AddRange(page!.Items.Select(a => new Shown(index, a.Attempt, a.Node, a.StartedAt, a.FinishedAt, a.DurationMs, a.Outcome, a.Error, a.Detail)));
        }
        return shown;
    }

    private sealed record Shown(int ItemIndex, int Attempt, string? Node, DateTime? StartedAt, DateTime FinishedAt, long? DurationMs,
        string Outcome, string? Error, string? Detail);

    private static async Task<int> RowsAsync(EngineHarness h, Guid batchId)
    {
        await using var db = await h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        return await db.Attempts.CountAsync(a => a.BatchId == batchId);
    }

    private static async Task<List<BatchItem>> ClaimAsync(BatchMonitorDbContext db, IItemLedger ledger, Guid batchId, int count, string node,
        DateTime now, DateTime? expires = null)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var claimed = await ledger.ClaimAsync(batchId, count, null, new Lease(node, expires ?? now.AddSeconds(30)), now, CancellationToken.None);
        await ledger.SaveCountersAsync(CancellationToken.None);
        await transaction.CommitAsync();
        return [.. claimed.Items];
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
}
