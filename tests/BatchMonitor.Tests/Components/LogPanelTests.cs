using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Components.Batches;
using BatchMonitor.Web.Components.Live;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components;

/// <summary>The batch page's log panel: filters read the store, and pushed lines appear only when they match the filter.</summary>
public sealed class LogPanelTests
{
    [Fact]
    public async Task A_pushed_line_appears_only_when_it_matches_the_chosen_levels()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(3);
        var panel = await OpenAsync(h, batch.Id);
        panel.WaitForAssertion(() => Assert.Contains("Nothing logged yet.", panel.Find("[role=log]").TextContent));

        await panel.Find(".bm-log-levels [data-level=error]").ClickAsync(new());
        panel.WaitForAssertion(() => Assert.Contains("No line matches this filter.", panel.Find("[role=log]").TextContent));
        Push(h, batch.Id, Line(1, LogLevels.Warning, "k1", "Attempt 1 of 3 failed: HTTP 503."), Line(2, LogLevels.Error, "k2", "Failed: HTTP 404."));
        h.Time.Advance(LiveComponentBase.RenderInterval);

        panel.WaitForAssertion(() => Assert.Equal(["Failed: HTTP 404."], Messages(panel)));
        Push(h, batch.Id, Line(3, LogLevels.Info, "k1", "Looked at it."), Line(4, LogLevels.Error, "k1", "Failed: HTTP 500."));
        h.Time.Advance(LiveComponentBase.RenderInterval);
        panel.WaitForAssertion(() => Assert.Equal(["Failed: HTTP 404.", "Failed: HTTP 500."], Messages(panel)));
    }

    [Fact]
    public async Task Typing_in_the_search_box_reads_through_the_throttle_and_live_lines_follow_the_text()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(3);
        await WriteAsync(h, batch.Id, "Time zone set to UTC.", "Attempt 1 of 3 failed: Timeout after 30 s.", "All good.");
        var panel = await OpenAsync(h, batch.Id);
        panel.WaitForAssertion(() => Assert.Equal(3, Messages(panel).Count));

        panel.Find("#log-search").Input("time");
        panel.WaitForAssertion(() => Assert.Equal(["Time zone set to UTC.", "Attempt 1 of 3 failed: Timeout after 30 s."], Messages(panel)));
        // Within the throttle's interval the next text waits for it: one read for a burst of typing.
        panel.Find("#log-search").Input("timeout");
        Assert.Equal(2, Messages(panel).Count);
        h.Time.Advance(LogPanel.SearchInterval);
        panel.WaitForAssertion(() => Assert.Equal(["Attempt 1 of 3 failed: Timeout after 30 s."], Messages(panel)));

        Push(h, batch.Id, Line(100, LogLevels.Error, "k0", "Failed after 3 attempt(s): TIMEOUT after 30 s."), Line(101, LogLevels.Info, "k1", "Done."));
        h.Time.Advance(LiveComponentBase.RenderInterval);
        panel.WaitForAssertion(() => Assert.Equal(
            ["Attempt 1 of 3 failed: Timeout after 30 s.", "Failed after 3 attempt(s): TIMEOUT after 30 s."], Messages(panel)));

        panel.Find("#log-search").Input("no such words");
        h.Time.Advance(LogPanel.SearchInterval);
        panel.WaitForAssertion(() => Assert.Contains("No line matches this filter.", panel.Find("[role=log]").TextContent));
    }

    [Fact]
    public async Task The_filter_goes_to_the_page_once_read_and_an_older_one_coming_back_from_the_address_changes_nothing()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(3);
        await WriteAsync(h, batch.Id, "Time zone set to UTC.", "Attempt 1 of 3 failed: Timeout after 30 s.", "All good.");
        var told = new List<LogFilter>();
        var before = h.Events.SubscriberCount;
        var panel = h.Context.Render<LogPanel>(p => p.Add(x => x.BatchId, batch.Id).Add(x => x.FilterChanged, f => told.Add(f)));
        await h.UntilSubscribedAsync(before);
        panel.WaitForAssertion(() => Assert.Equal(3, Messages(panel).Count));

        panel.Find("#log-search").Input("time");
        panel.WaitForAssertion(() => Assert.Equal(2, Messages(panel).Count));
        panel.Find("#log-search").Input("timeout");
        h.Time.Advance(LogPanel.SearchInterval);
        panel.WaitForAssertion(() => Assert.Equal(["Attempt 1 of 3 failed: Timeout after 30 s."], Messages(panel)));
        Assert.Equal([new LogFilter(null, null, "time"), new LogFilter(null, null, "timeout")], told);

        // The address took "time" only now (a slow round trip), then "timeout": what was typed last stays.
        foreach (var echo in told.ToList())
        {
            panel.Render(p => p.Add(x => x.Filter, echo));
            Assert.Equal("timeout", panel.Find("#log-search").GetAttribute("value"));
            Assert.Equal(["Attempt 1 of 3 failed: Timeout after 30 s."], Messages(panel));
        }
        Assert.Equal(2, told.Count);

        // A filter the panel did not tell (the browser's back, a link) is shown, and not told back.
        panel.Render(p => p.Add(x => x.Filter, new LogFilter("info", null, null)));
        panel.WaitForAssertion(() => Assert.Equal(3, Messages(panel).Count));
        Assert.True(string.IsNullOrEmpty(panel.Find("#log-search").GetAttribute("value")));
        Assert.Equal(2, told.Count);
    }

    [Fact]
    public async Task Download_is_a_link_to_the_whole_log()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(1);
        var panel = await OpenAsync(h, batch.Id);

        var link = panel.Find("a.bm-log-download");
        Assert.Equal($"api/v1/batches/{batch.Id}/logs/download", link.GetAttribute("href"));
        Assert.True(link.HasAttribute("download"));
    }

    private static async Task<IRenderedComponent<LogPanel>> OpenAsync(ComponentHarness h, Guid batchId)
    {
        var before = h.Events.SubscriberCount;
        var panel = h.Context.Render<LogPanel>(p => p.Add(x => x.BatchId, batchId));
        await h.UntilSubscribedAsync(before);
        return panel;
    }

    private static LogLineView Line(long seq, string level, string? key, string message) =>
        new(seq, new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc), level, key, message);

    private static void Push(ComponentHarness h, Guid batchId, params LogLineView[] lines) =>
        h.Events.Publish(new BatchChange(batchId, null, [], lines.Select(l => l with { BatchId = batchId }).ToList()));

    private static List<string> Messages(IRenderedComponent<LogPanel> panel) =>
        panel.FindAll(".bm-log-line .bm-log-message").Select(m => m.TextContent).ToList();

    private static async Task WriteAsync(ComponentHarness h, Guid batchId, params string[] messages)
    {
        await using var db = await h.Engine.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        foreach (var message in messages)
        {
            db.LogLines.Add(new LogLine(batchId, h.Time.UtcNow, LogLevels.Info, null, message));
            await db.SaveChangesAsync();
        }
    }
}
