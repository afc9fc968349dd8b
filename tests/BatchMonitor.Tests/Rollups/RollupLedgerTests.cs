using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Rollups;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Storage.Ledger;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Rollups;

/// <summary>The item ledger counts every finish in its handler's minute, in the transaction that finishes the item.</summary>
public class RollupLedgerTests
{
    /// <summary>SQLite here, PostgreSQL in RollupLedgerTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task Finishes_count_in_their_minute_with_duration_sum_and_buckets_and_a_retry_or_cancel_is_not_a_finish()
    {
        var (h, db, ledger, id) = await RunningBatchAsync(6);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        var now = h.Time.UtcNow;
        var items = await ClaimAsync(db, ledger, id, 6, now);

        items[0].Succeed(now.AddMilliseconds(5), null);
        items[1].Succeed(now.AddMilliseconds(300), null);
        items[2].Fail(now.AddMilliseconds(1500), "boom");
        items[3].RetryLater(now.AddMilliseconds(20), "flaky", now.AddSeconds(1));
        items[4].Cancel(now.AddMilliseconds(20), "stopped");
        items[5].Succeed(now.AddSeconds(61), null); // the next minute
        await FinishAsync(db, ledger, items);

        var rows = await RowsAsync(db);
        Assert.Equal(2, rows.Count);
        var first = rows[0];
        Assert.Equal((now, "scripted", 2, 1, 1805L), (first.Minute, first.Handler, first.Succeeded, first.Failed, first.DurationMsSum));
        Assert.Equal((1, 1, 1), (first.Bucket00, first.Bucket05, first.Bucket07));
        Assert.Equal(3, Buckets(first).Sum());
        Assert.Equal((now.AddMinutes(1), 1, 0, 61_000L), (rows[1].Minute, rows[1].Succeeded, rows[1].Failed, rows[1].DurationMsSum));
        Assert.Equal(1, rows[1].Bucket12);
        Assert.Null(first.QueueDepth);
    }

    [Fact]
    public async Task A_later_transaction_adds_to_the_minute_and_one_that_rolls_back_adds_nothing()
    {
        var (h, db, ledger, id) = await RunningBatchAsync(3);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        var now = h.Time.UtcNow;
        var items = await ClaimAsync(db, ledger, id, 3, now);
        items[0].Succeed(now.AddMilliseconds(40), null);
        await FinishAsync(db, ledger, [items[0]]);

        items[1].Succeed(now.AddMilliseconds(40), null);
        await using (var lost = await db.Database.BeginTransactionAsync())
        {
            Assert.True(await ledger.FinishAsync(items[1], "node-a", CancellationToken.None));
            await ledger.SaveCountersAsync(CancellationToken.None);
            await lost.RollbackAsync();
        }
        ledger.DiscardCounters();
        items[2].Fail(now.AddMilliseconds(40), "no");
        await FinishAsync(db, ledger, [items[2]]);

        var row = Assert.Single(await RowsAsync(db));
        Assert.Equal((1, 1, 80L, 2), (row.Succeeded, row.Failed, row.DurationMsSum, row.Bucket02));
    }

    [Fact]
    public async Task An_item_a_rescue_fails_on_its_last_attempt_counts_as_failed_in_the_minute_of_the_rescue()
    {
        var (h, db, ledger, id) = await RunningBatchAsync(1);
        await using var _ = h;
        await using var __ = db;
        await using var ___ = ledger;
        var started = h.Time.UtcNow;
        await ClaimAsync(db, ledger, id, 1, started);
        var now = started.AddSeconds(90);

        await using (var rescue = await db.Database.BeginTransactionAsync())
        {
            Assert.Equal((0, 1), await ledger.RescueAsync(id, 1, now, new RescueScope("node-a", AtStart: true), CancellationToken.None));
            await ledger.SaveCountersAsync(CancellationToken.None);
            await rescue.CommitAsync();
        }

        var row = Assert.Single(await RowsAsync(db));
        Assert.Equal((Minutes.Floor(now), 0, 1, 90_000L, 1), (row.Minute, row.Succeeded, row.Failed, row.DurationMsSum, row.Bucket12));
        await LedgerAssert.CountersMatchItemsAsync(h, id);
    }

    [Fact]
    public async Task After_a_restart_the_history_is_still_there_and_new_finishes_add_to_the_same_minute()
    {
        await using var database = await Store.CreateDatabaseAsync();
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart.AddSeconds(10));
        await using (var before = await Store.HarnessAsync(database: database, time: time))
        {
            var batch = await before.CreateAsync(3);
            await before.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        }

        await using var after = await Store.HarnessAsync(database: database, time: time);
        var history = after.Services.GetRequiredService<HistoryReader>();
        var point = (await history.ReadAsync(HistoryWindow.Hour, "1m", "scripted")).Points[^1];
        Assert.Equal((3, 0), (point.Succeeded, point.Failed));

        var again = await after.CreateAsync(2, handler: "scripted");
        await after.WaitForStatusAsync(again.Id, BatchStatus.Completed);

        point = (await history.ReadAsync(HistoryWindow.Hour, "1m", "scripted")).Points[^1];
        Assert.Equal((Minutes.Floor(time.UtcNow), 5), (point.At, point.Succeeded));
        await using var db = await after.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        Assert.Equal(5, Assert.Single(await RowsAsync(db)).Succeeded);
    }

    internal static int[] Buckets(ThroughputMinute m) =>
        [m.Bucket00, m.Bucket01, m.Bucket02, m.Bucket03, m.Bucket04, m.Bucket05, m.Bucket06,
         m.Bucket07, m.Bucket08, m.Bucket09, m.Bucket10, m.Bucket11, m.Bucket12, m.Bucket13];

    private static async Task<List<ThroughputMinute>> RowsAsync(BatchMonitorDbContext db)
    {
        var rows = await db.ThroughputMinutes.AsNoTracking().ToListAsync();
        foreach (var row in rows) row.Minute = DateTime.SpecifyKind(row.Minute, DateTimeKind.Utc);
        return [.. rows.OrderBy(r => r.Minute)];
    }

    private static async Task FinishAsync(BatchMonitorDbContext db, IItemLedger ledger, IEnumerable<BatchItem> items)
    {
        await using var finish = await db.Database.BeginTransactionAsync();
        foreach (var item in items) Assert.True(await ledger.FinishAsync(item, "node-a", CancellationToken.None));
        await ledger.SaveCountersAsync(CancellationToken.None);
        await finish.CommitAsync();
    }

    private static async Task<List<BatchItem>> ClaimAsync(BatchMonitorDbContext db, IItemLedger ledger, Guid batchId, int count, DateTime now)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var claimed = await ledger.ClaimAsync(batchId, count, null, new Lease("node-a", now.AddSeconds(30)), now, CancellationToken.None);
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
