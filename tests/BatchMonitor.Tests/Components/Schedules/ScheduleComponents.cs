using BatchMonitor.Core.Events;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Scheduling;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Components.Live;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components.Schedules;

/// <summary>What the schedule page tests share: a schedule made through the service, and waits that move the fake clock.</summary>
internal static class ScheduleComponents
{
    public static ScheduleService Schedules(this ComponentHarness h) => h.Engine.Schedules();

    /// <summary>A schedule of the scripted handler over two fixed items; the scheduler is not running, so only the test fires it.</summary>
    public static Task<ScheduleView> CreateScheduleAsync(this ComponentHarness h, string name = "every minute", int intervalSeconds = 60,
        string? cron = null, string? timeZone = null) =>
        h.Engine.CreateScheduleAsync(new ScheduleInput
        {
            Name = name,
            Cron = cron,
            IntervalSeconds = cron is null ? intervalSeconds : null,
            TimeZone = timeZone,
            Batch = new CreateBatchRequest { Handler = "scripted", Items = [new ItemInput("a"), new ItemInput("b")] },
        });

    /// <summary>
    /// Renders a live page and waits until it is subscribed, has read its state, and ticks: its clock is a timer on
    /// the fake clock, created as the last step of its read. The test's own schedule changes are delivered first, so
    /// the page does not read again because of them after it rendered.
    /// </summary>
    public static async Task<IRenderedComponent<T>> RenderTickingAsync<T>(this ComponentHarness h,
        Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent
    {
        var scheduleEvents = h.Context.Services.GetRequiredService<ScheduleEvents>();
        await Wait.UntilAsync(() => scheduleEvents.Undelivered == 0, "the schedule changes made so far to be delivered");
        var subscribers = h.Events.SubscriberCount;
        var timers = h.Time.PendingTimers;
        var page = h.Context.Render<T>(parameters);
        await h.UntilSubscribedAsync(subscribers);
        await Wait.UntilAsync(() => h.Time.PendingTimers > timers, "the page's clock to start ticking");
        return page;
    }

    /// <summary>
    /// Waits until the page shows what <paramref name="assertion"/> expects, moving the fake clock one reload interval
    /// at a time meanwhile (a page re-reads at most once per interval, on a timer of that clock).
    /// </summary>
    public static async Task UntilShownAsync<T>(this ComponentHarness h, IRenderedComponent<T> page, Action assertion) where T : IComponent
    {
        var lastAdvance = System.Diagnostics.Stopwatch.StartNew();
        await Wait.UntilAsync(() =>
        {
            try
            {
                assertion();
                return true;
            }
            catch (Exception e) when (e is not InvalidOperationException)
            {
                if (lastAdvance.ElapsedMilliseconds < 25) return false;
                h.Time.Advance(LiveComponentBase.ReloadInterval);
                lastAdvance.Restart();
                return false;
            }
        }, "the page to show it");
        page.WaitForAssertion(assertion);
    }
}
