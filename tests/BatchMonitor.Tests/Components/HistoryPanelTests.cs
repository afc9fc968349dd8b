using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Rollups;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Components.History;
using BatchMonitor.Web.Components.Live;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components;

/// <summary>The history panel: its figures, table and drawings follow the finished items the engine announces.</summary>
public sealed class HistoryPanelTests
{
    [Fact]
    public async Task A_finished_item_announced_by_the_engine_changes_the_figures_and_the_row_of_its_minute()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(3);
        var before = h.Events.SubscriberCount;
        var panel = h.Context.Render<HistoryPanel>();
        await h.UntilSubscribedAsync(before);
        panel.WaitForAssertion(() => Assert.Equal("0", Fact(panel, "succeeded")));
        Assert.Equal(3, panel.FindAll(".bm-chart svg").Count);
        await panel.Find(".bm-history-switch input").ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = true });
        var minute = Minutes.Floor(h.Time.UtcNow);
        var row = $"[data-history-at='{minute:yyyy-MM-dd'T'HH:mm:ss'Z'}']";
        panel.WaitForAssertion(() => Assert.Equal("0", panel.Find($"{row} [data-cell=succeeded]").TextContent));

        h.Push(ComponentHarness.Running(batch, succeeded: 1), [Finished(batch, 0, ItemStatus.Succeeded, 120)]);
        h.Time.Advance(LiveComponentBase.RenderInterval);

        await panel.WaitForAssertionAsync(() =>
        {
            Assert.Equal("1", Fact(panel, "succeeded"));
            Assert.Equal("120 ms", Fact(panel, "mean"));
            Assert.Equal("1", panel.Find($"{row} [data-cell=succeeded]").TextContent);
        });

        h.Push(ComponentHarness.Running(batch, succeeded: 1, failed: 1), [Finished(batch, 1, ItemStatus.Failed, 80)]);
        h.Time.Advance(LiveComponentBase.RenderInterval);

        await panel.WaitForAssertionAsync(() =>
        {
            Assert.Equal("1", Fact(panel, "failed"));
            Assert.Equal("100 ms", Fact(panel, "mean"));
            Assert.Equal("1", panel.Find($"{row} [data-cell=failed]").TextContent);
        });
    }

    [Fact]
    public async Task A_handlers_panel_counts_only_its_handlers_items_and_the_sampler_s_minute_brings_the_queue_depth()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(4);
        var before = h.Events.SubscriberCount;
        var mine = h.Context.Render<HistoryPanel>(p => p.Add(x => x.Handler, "scripted"));
        var other = h.Context.Render<HistoryPanel>(p => p.Add(x => x.Handler, "demo"));
        await Wait.UntilAsync(() => h.Events.SubscriberCount >= before + 2, "both panels to subscribe");

        h.Push(ComponentHarness.Running(batch, succeeded: 1), [Finished(batch, 0, ItemStatus.Succeeded, 40)]);
        h.Time.Advance(LiveComponentBase.RenderInterval);

        await mine.WaitForAssertionAsync(() => Assert.Equal("1", Fact(mine, "succeeded")));
        Assert.Equal("0", Fact(other, "succeeded"));
        Assert.Equal("0", Fact(mine, "queue"));

        await h.Engine.Services.GetRequiredService<RollupSampler>().SampleAsync();
        h.Time.Advance(LiveComponentBase.ReloadInterval);

        await mine.WaitForAssertionAsync(() => Assert.Equal("4", Fact(mine, "queue")));
        Assert.Equal("0", Fact(other, "queue"));
    }

    private static string Fact(IRenderedComponent<HistoryPanel> panel, string name) =>
        panel.Find($"[data-history-fact={name}]").TextContent;

    private static ItemView Finished(BatchView batch, int index, ItemStatus status, long ms) => new()
    {
        BatchId = batch.Id, Index = index, Key = $"k{index}", Status = status, Attempts = 1,
        StartedAt = batch.CreatedAt, FinishedAt = batch.CreatedAt.AddMilliseconds(ms), DurationMs = ms,
    };
}
