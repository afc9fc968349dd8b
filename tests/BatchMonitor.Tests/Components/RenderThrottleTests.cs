using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Components.Live;

namespace BatchMonitor.Tests.Components;

public sealed class RenderThrottleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task The_first_signal_flushes_at_once_and_later_ones_merge_into_one_flush_per_interval()
    {
        var time = new FakeTimeProvider();
        var flushes = 0;
        using var throttle = new RenderThrottle(time, Interval, () => { Interlocked.Increment(ref flushes); return Task.CompletedTask; }, e => throw e);

        throttle.Request();
        Assert.Equal(1, flushes);

        for (var i = 0; i < 500; i++) throttle.Request();
        Assert.Equal(1, flushes);

        time.Advance(Interval);
        await Wait.UntilAsync(() => Volatile.Read(ref flushes) == 2, "the merged flush");
        time.Advance(Interval * 5);
        Assert.Equal(2, flushes);
    }

    [Fact]
    public void An_urgent_signal_flushes_at_once_after_a_progress_only_flush()
    {
        var time = new FakeTimeProvider();
        var flushes = 0;
        using var throttle = new RenderThrottle(time, Interval, () => { Interlocked.Increment(ref flushes); return Task.CompletedTask; }, e => throw e);

        throttle.Request();                // progress: at once (quiet)
        time.Advance(10);
        throttle.Request();                // progress: waits for the interval
        Assert.Equal(1, flushes);
        time.Advance(10);
        throttle.Request(urgent: true);    // a count moved: at once, taking the waiting progress with it

        Assert.Equal(2, flushes);
        time.Advance(Interval);
        Assert.Equal(2, flushes);          // nothing was left for the timer
    }

    [Fact]
    public async Task A_stream_of_urgent_signals_still_flushes_once_per_interval()
    {
        var time = new FakeTimeProvider();
        var flushes = 0;
        using var throttle = new RenderThrottle(time, Interval, () => { Interlocked.Increment(ref flushes); return Task.CompletedTask; }, e => throw e);

        for (var ms = 0; ms < 1000; ms++)
        {
            throttle.Request(urgent: true);
            time.Advance(1);
        }
        time.Advance(Interval);
        await Wait.UntilAsync(() => !throttle.IsScheduled, "the last flush");

        Assert.InRange(Volatile.Read(ref flushes), 10, 12);
    }

    [Fact]
    public async Task A_signal_during_a_flush_asks_for_another_one()
    {
        var time = new FakeTimeProvider();
        var flushes = 0;
        RenderThrottle? throttle = null;
        throttle = new RenderThrottle(time, Interval, () =>
        {
            if (Interlocked.Increment(ref flushes) == 1) throttle!.Request();
            return Task.CompletedTask;
        }, e => throw e);

        throttle.Request();
        time.Advance(Interval);

        await Wait.UntilAsync(() => Volatile.Read(ref flushes) == 2, "a second flush for the signal that came during the first");
        throttle.Dispose();
    }

    [Fact]
    public void After_dispose_nothing_flushes()
    {
        var time = new FakeTimeProvider();
        var flushes = 0;
        var throttle = new RenderThrottle(time, Interval, () => { flushes++; return Task.CompletedTask; }, e => throw e);
        throttle.Request();
        throttle.Request();

        throttle.Dispose();
        time.Advance(Interval * 2);
        throttle.Request();

        Assert.Equal(1, flushes);
    }
}
