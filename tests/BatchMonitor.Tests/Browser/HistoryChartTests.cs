using BatchMonitor.Core.Access;
using BatchMonitor.Tests.Support;
using Microsoft.Playwright;

namespace BatchMonitor.Tests.Browser;

/// <summary>The charts over time draw in real Chromium, in both themes, at a laptop's and a phone's width, without errors.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HistoryChartTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task The_dashboard_draws_finished_items_durations_and_queue_depth_and_switches_window_live(string theme)
    {
        var batch = await browser.Server.StartDemoAsync(40, concurrency: 4, minMs: 10, maxMs: 40, name: $"History batch ({theme})");
        await using var tab = await browser.OpenAsync("/", theme);
        var panel = tab.Page.Locator(".bm-history");

        await Assertions.Expect(panel.Locator(".bm-chart svg")).ToHaveCountAsync(3);
        // Live: the figures grow as the batch's items finish, with no reload of the page.
        await Wait.UntilAsync(async () => int.Parse((await panel.Locator("[data-history-fact=succeeded]").TextContentAsync())!.Replace(",", "")) > 0,
            "the dashboard's history to count finished items");
        // The charts size themselves to their card once the browser has measured it, then draw.
        await Wait.UntilAsync(async () => await panel.Locator(".bm-chart svg path, .bm-chart svg rect").CountAsync() > 0, "the charts to draw");
        Assert.Equal(theme, await tab.DrawnThemeAsync());

        await panel.Locator(".bm-history-window").GetByText("24h", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(panel.GetByRole(AriaRole.Img).First).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("per 15 minutes"));
        await Assertions.Expect(panel.Locator(".bm-chart svg")).ToHaveCountAsync(3);

        await tab.Page.SetViewportSizeAsync(390, 900);
        await Assertions.Expect(panel.Locator(".bm-chart svg")).ToHaveCountAsync(3);
        await Wait.UntilAsync(async () => await tab.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390,
            "the dashboard to fit 390 px");
        await tab.ScreenshotAsync($"history-390-{theme}");

        await tab.GotoAsync("/handlers/demo");
        await Assertions.Expect(tab.Page.Locator("h1")).ToHaveTextAsync("demo");
        await Assertions.Expect(tab.Page.Locator(".bm-history .bm-chart svg")).ToHaveCountAsync(3);

        Assert.Empty(tab.ConsoleErrors);
        await browser.Server.WithBatchesAsync(b => b.CancelAsync(batch, Actor.Admin("admin@example.com")));
    }
}
