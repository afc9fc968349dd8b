using BatchMonitor.Core.Domain;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Components.Layout;
using Bunit;

namespace BatchMonitor.Tests.Components;

public sealed class BatchToastsTests
{
    [Theory]
    [InlineData(BatchStatus.Completed, "Completed: ")]
    [InlineData(BatchStatus.Failed, "Failed: ")]
    [InlineData(BatchStatus.TimedOut, "Timed out: ")]
    public async Task Every_open_tab_hears_when_a_batch_finishes(BatchStatus end, string title)
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(4);
        var secondTab = h.OpenTab();
        var before = h.Events.SubscriberCount;
        var tabs = new[]
        {
            (Listener: h.Context.Render<BatchToasts>(), Toasts: h.Overlays),
            (Listener: secondTab.Render<BatchToasts>(), Toasts: h.OverlaysOf(secondTab)),
        };
        await Wait.UntilAsync(() => h.Events.SubscriberCount == before + 2, "both tabs to listen");

        h.Push(ComponentHarness.Running(batch, succeeded: 2));
        h.Push(ComponentHarness.Running(batch, succeeded: 4) with { Status = end, FinishedAt = h.Time.UtcNow });

        foreach (var (_, toasts) in tabs)
        {
            await toasts.WaitForAssertionAsync(() => Assert.StartsWith(title + batch.Name, toasts.Find(".bm-note-title").TextContent));
        }
    }

    [Fact]
    public async Task A_late_change_of_a_batch_that_finished_long_ago_says_nothing()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(4);
        var before = h.Events.SubscriberCount;
        h.Context.Render<BatchToasts>();
        var toasts = h.Overlays;
        await h.UntilSubscribedAsync(before);

        h.Push(ComponentHarness.Running(batch, succeeded: 4) with { Status = BatchStatus.Completed, FinishedAt = h.Time.UtcNow.AddMinutes(-5) });
        h.Push(ComponentHarness.Running(batch, succeeded: 4) with { Status = BatchStatus.Running });

        await toasts.WaitForAssertionAsync(() => Assert.Empty(toasts.FindAll(".bm-note")));
    }
}
