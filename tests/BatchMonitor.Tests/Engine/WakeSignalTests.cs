using BatchMonitor.Core.Engine;
using Microsoft.Extensions.Time.Testing;

namespace BatchMonitor.Tests.Engine;

public sealed class WakeSignalTests
{
    [Fact]
    public async Task A_wait_ends_when_its_time_comes()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var signal = new WakeSignal();
        var waiting = signal.WaitAsync(time.GetUtcNow().UtcDateTime.AddMinutes(1), time, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_wake_before_anyone_waits_is_kept()
    {
        var time = new FakeTimeProvider();
        var signal = new WakeSignal();
        signal.Wake();
        await signal.WaitAsync(null, time, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// The clock moves to the due time after the wait read "now" but before its timer is set (a test's Advance on
    /// another thread, or a thread put aside on a loaded machine): the wait still ends, instead of a whole delay late.
    /// </summary>
    [Fact]
    public async Task A_wait_whose_time_comes_while_its_timer_is_set_still_ends()
    {
        var time = new MovesWhileTimerIsSet(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(1));
        var signal = new WakeSignal();
        await signal.WaitAsync(time.GetUtcNow().UtcDateTime.AddMinutes(1), time, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));
    }

    private sealed class MovesWhileTimerIsSet(DateTimeOffset start, TimeSpan move) : FakeTimeProvider(start)
    {
        private bool _moved;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (!_moved && dueTime != Timeout.InfiniteTimeSpan)
            {
                _moved = true;
                Advance(move);
            }
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
