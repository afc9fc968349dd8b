using BatchMonitor.Core.Events;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Scheduling;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Components.Live;
using AngleSharp.Dom;
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

    /// <summary>The table row whose first cell carries <paramref name="attribute"/> (MudTable draws the rows; the cells carry our data-*).</summary>
    public static IElement Row<T>(this IRenderedComponent<T> page, string attribute, object value) where T : IComponent =>
        page.Find($"td[{attribute}='{value}']").ParentElement!;

    /// <summary>The first cell of a row: where its data-* attributes are.</summary>
    public static IElement RowCell<T>(this IRenderedComponent<T> page, string attribute, object value) where T : IComponent =>
        page.Find($"td[{attribute}='{value}']");

    /// <summary>Waits until a schedule page has read what it shows (its skeleton, marked aria-busy, is gone).</summary>
    public static void WaitUntilReady<T>(this IRenderedComponent<T> page) where T : IComponent =>
        page.WaitForState(() => page.FindAll("[aria-busy=true]").Count == 0 && page.FindAll("h1").Count > 0);

    /// <summary>Opens a MudSelect (by its input's id) and picks the option whose text starts with <paramref name="text"/>: the list is drawn in the overlays.</summary>
    public static async Task ChooseAsync<T>(this ComponentHarness h, IRenderedComponent<T> page, string inputId, string text) where T : IComponent
    {
        await page.Find($"#{inputId}").Closest(".mud-input-control")!.MouseDownAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        IElement? option = null;
        h.Overlays.WaitForAssertion(() =>
        {
            option = h.Overlays.FindAll(".mud-list-item").FirstOrDefault(o => o.TextContent.Trim().StartsWith(text, StringComparison.Ordinal));
            Assert.NotNull(option);
        });
        try
        {
            await option!.ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        }
        catch (MissingEventHandlerException)
        {
            await option!.MouseDownAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        }
    }
}
