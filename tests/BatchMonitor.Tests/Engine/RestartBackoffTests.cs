using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Tests.Engine;

/// <summary>A runner that stops on an unexpected error is not restarted in a loop: its batch waits, longer each time.</summary>
public class RestartBackoffTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in RestartBackoffTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(9, 256)]
    [InlineData(10, 300)]
    [InlineData(1000, 300)]
    public void The_pause_doubles_with_each_crash_in_a_row_up_to_five_minutes(int crashes, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RestartBackoff.PauseAfter(crashes));

    [Fact]
    public void Only_a_pause_still_to_come_is_a_time_to_look_again()
    {
        var backoff = new RestartBackoff();
        var now = new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());

        backoff.Crashed(first, now);
        backoff.Crashed(second, now);
        backoff.Crashed(second, now);

        Assert.Equal(now.AddSeconds(1), backoff.NextStart(now));
        Assert.Equal(now.AddSeconds(2), backoff.NextStart(now.AddSeconds(1)));
        Assert.Null(backoff.NextStart(now.AddSeconds(2)));
        Assert.True(backoff.MayStart(first, now.AddSeconds(1)));
        Assert.False(backoff.MayStart(second, now.AddSeconds(1)));
        backoff.KeepOnly([first]);
        Assert.True(backoff.MayStart(second, now));
        Assert.Equal((2, now.AddSeconds(2)), backoff.Crashed(first, now));
    }

    [Fact]
    public async Task A_runner_that_cannot_set_its_timer_is_started_again_only_after_a_pause_not_at_once()
    {
        var time = new FakeTimeProvider();
        // A rate of 0.5 paces with a 2-second timer: the one this clock refuses until the test lifts it.
        var timers = new StrictTimers(time) { Refuse = d => d == TimeSpan.FromSeconds(2) };
        var logs = new LogCapture();
        await using var h = await Store.HarnessAsync(start: false, time: time,
            configure: s => s.AddSingleton<TimeProvider>(timers).AddSingleton<ILoggerProvider>(logs));
        var batch = await h.CreateAsync(1, new OptionsInput { RatePerSecond = 0.5 });
        await h.Engine.StartAsync(CancellationToken.None);
        try
        {
            await h.Engine.TickAsync(CancellationToken.None);
            await Wait.UntilAsync(() => timers.Refused == 1 && h.Engine.RunningHere.Count == 0, "the runner to stop on the refused timer");

            var next = await h.Engine.TickAsync(CancellationToken.None);

            Assert.Empty(h.Engine.RunningHere);
            Assert.Equal(1, timers.Refused);
            Assert.Equal(time.UtcNow + RestartBackoff.First, next);
            Assert.Equal(BatchStatus.Running, (await h.GetAsync(batch.Id)).Status);
            Assert.Single(logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("1 time(s) in a row"));

            timers.Refuse = null;
            time.Advance(RestartBackoff.First);
            await h.Engine.TickAsync(CancellationToken.None);

            var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
            Assert.Equal(1, done.Succeeded);
            Assert.Equal(1, timers.Refused);
        }
        finally
        {
            await h.Engine.StopAsync();
        }
    }
}
