using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Tests.Engine;

/// <summary>ratePerSecond at its edges: the slowest rate allowed, and a slower one stored before rates were bounded.</summary>
public class PacerTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in PacerTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task The_slowest_rate_allowed_starts_one_item_every_1000_seconds()
    {
        await using var h = await Store.HarnessAsync();
        var batch = await h.CreateAsync(2, new OptionsInput { RatePerSecond = OptionLimits.RatePerSecond.Min });

        await Wait.UntilAsync(async () => (await h.GetAsync(batch.Id)).Succeeded == 1, "the first item");
        h.Time.Advance(TimeSpan.FromSeconds(1000) - TimeSpan.FromMilliseconds(1));
        Assert.Single(h.Handler.Calls);
        h.Time.Advance(TimeSpan.FromMilliseconds(1));

        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        Assert.Equal(2, h.Handler.Calls.Count);
    }

    [Fact]
    public async Task A_stored_rate_too_slow_for_any_timer_paces_on_the_longest_timer_instead_of_crashing()
    {
        var time = new FakeTimeProvider();
        var timers = new StrictTimers(time);
        var logs = new LogCapture();
        await using var h = await Store.HarnessAsync(start: false, time: time,
            configure: s => s.AddSingleton<TimeProvider>(timers).AddSingleton<ILoggerProvider>(logs));
        var batch = await h.CreateAsync(2, new OptionsInput { RatePerSecond = 1 });
        await StoreRateAsync(h, batch.Id, 1e-9); // one start in 31 years, as a batch stored before rates were bounded has
        await h.StartEngineAsync();

        await Wait.UntilAsync(async () => (await h.GetAsync(batch.Id)).Succeeded == 1, "the first item");
        Assert.Single(h.Handler.Calls);
        Assert.Equal(BatchStatus.Running, (await h.GetAsync(batch.Id)).Status);

        time.Advance(StrictTimers.Longest);
        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        Assert.Equal(2, done.Succeeded);
        Assert.Equal(0, timers.Refused);
        Assert.DoesNotContain(logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal));
    }

    private static async Task StoreRateAsync(EngineHarness h, Guid id, double rate)
    {
        await using var db = await h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        var batch = await db.Batches.SingleAsync(b => b.Id == id);
        db.Entry(batch).Property(b => b.Options).CurrentValue = batch.Options with { RatePerSecond = rate };
        await db.SaveChangesAsync();
    }
}
