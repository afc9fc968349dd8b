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
            var claimed = await ledger.ClaimAsync(batch.Id, 1, h.Time.UtcNow, CancellationToken.None);
            await ledger.SaveCountersAsync(CancellationToken.None);
            await claim.CommitAsync();
            var item = Assert.Single(claimed.Items);

            // The batch ends while the item runs: its pending items are cancelled, the running one is left to its runner.
            var transitions = h.Services.GetRequiredService<Core.Engine.BatchTransitions>();
            Assert.True((end == "cancel" ? await transitions.CancelAsync(batch.Id) : await transitions.TimeOutAsync(batch.Id)).IsOk);

            // Then the item's attempt fails with attempts left.
            item.RetryLater(h.Time.UtcNow, "timed out after 30 s", h.Time.UtcNow.AddSeconds(1));
            await using var finish = await db.Database.BeginTransactionAsync();
            Assert.True(await ledger.FinishAsync(item, CancellationToken.None));
            await ledger.SaveCountersAsync(CancellationToken.None);
            await finish.CommitAsync();
        }

        var stored = await h.Batches.GetAsync(batch.Id);
        Assert.Equal((0, 0, 3), (stored!.Pending, stored.Running, stored.Cancelled));
        await LedgerAssert.CountersMatchItemsAsync(h, batch.Id);
    }
}
