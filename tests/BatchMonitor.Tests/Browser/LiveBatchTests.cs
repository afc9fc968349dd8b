using System.Text.RegularExpressions;
using BatchMonitor.Tests.Support;
using Microsoft.Playwright;

namespace BatchMonitor.Tests.Browser;

/// <summary>A real Chromium against the real app: the live behaviour a user sees.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class LiveBatchTests(BrowserFixture browser)
{
    private BrowserServer Server => browser.Server;

    [Fact]
    public async Task A_demo_batch_started_from_the_New_batch_page_shows_its_progress_rising()
    {
        await using var tab = await browser.OpenAsync("/batches/new");
        var page = tab.Page;

        await page.Locator("#handler").SelectOptionAsync("demo");
        await Fill(page.Locator("#items"), string.Join('\n', Enumerable.Range(1, 40).Select(i => $"account-{i:00}")));
        await Fill(page.Locator("#arg-minMs"), "100");
        await Fill(page.Locator("#arg-maxMs"), "300");
        await Fill(page.Locator("#arg-failureRate"), "0");
        await Fill(page.Locator("#opt-concurrency"), "2");
        await Assertions.Expect(page.GetByTestId("item-count")).ToHaveTextAsync("40 items");
        await tab.Button("Start batch").ClickAsync();

        await tab.UntilUrlAsync(BatchUrl());
        var id = Guid.Parse(BatchUrl().Match(page.Url).Groups["id"].Value);
        await tab.WaitUntilLiveAsync();
        var first = await tab.WaitForProgressAboveAsync(id, 0);
        var later = await tab.WaitForProgressAboveAsync(id, first + 3);

        Assert.True(later > first);
        Assert.Equal("40", await tab.ProgressBar(id).GetAttributeAsync("aria-valuemax"));
        Assert.Empty(tab.ConsoleErrors);
    }

    [Fact]
    public async Task A_second_tab_on_the_same_batch_advances_too()
    {
        var id = await Server.StartDemoAsync(80);
        await using var first = await browser.OpenAsync($"/batches/{id}");
        await using var second = await first.NewTabAsync($"/batches/{id}");

        var seen = Math.Max(await first.ProgressAsync(id), await second.ProgressAsync(id));
        var firstLater = await first.WaitForProgressAboveAsync(id, seen + 2);
        var secondLater = await second.WaitForProgressAboveAsync(id, firstLater);

        Assert.True(secondLater > seen + 2);
        // Both show the same truth within a moment: the first tab catches up with the second.
        await first.WaitForProgressAboveAsync(id, secondLater - 1);
    }

    [Fact]
    public async Task Leaving_for_the_dashboard_coming_back_and_refreshing_continue_from_the_true_value()
    {
        var id = await Server.StartDemoAsync(120);
        await using var tab = await browser.OpenAsync($"/batches/{id}");
        var before = await tab.WaitForProgressAboveAsync(id, 4);

        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await tab.UntilUrlAsync(url => new Uri(url).AbsolutePath == "/");
        var onDashboard = await tab.WaitForProgressAboveAsync(id, before - 1);
        Assert.True(onDashboard >= before, $"The dashboard showed {onDashboard} after the batch page showed {before}.");

        await tab.Page.Locator($"a[href='batches/{id}']").First.ClickAsync();
        await tab.UntilUrlAsync(BatchUrl());
        var back = await tab.ProgressAsync(id);
        Assert.True(back >= onDashboard, $"Back on the batch page it showed {back}, not at least {onDashboard}.");

        await tab.Page.ReloadAsync();
        // Read at once: the first paint (prerendered) already holds the true value, before the circuit is live.
        var refreshed = await tab.ProgressAsync(id);
        Assert.True(refreshed >= back, $"After a refresh it showed {refreshed}, not at least {back}.");
        await tab.WaitUntilLiveAsync();
        await tab.WaitForProgressAboveAsync(id, refreshed);
    }

    [Fact]
    public async Task While_progress_advances_the_page_makes_no_http_requests()
    {
        var id = await Server.StartDemoAsync(120);
        await using var tab = await browser.OpenAsync($"/batches/{id}");
        await tab.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var start = await tab.WaitForProgressAboveAsync(id, 0);
        var requestsBefore = tab.Requests.Count;

        await tab.WaitForProgressAboveAsync(id, start + 10);

        Assert.Equal([], tab.Requests.Skip(requestsBefore));
        Assert.Contains(tab.WebSockets, url => url.Contains("/_blazor", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pause_stops_new_items_and_resume_carries_on()
    {
        var id = await Server.StartDemoAsync(200);
        await using var tab = await browser.OpenAsync($"/batches/{id}");
        await tab.WaitForProgressAboveAsync(id, 1);

        await tab.Button("Pause").ClickAsync();

        await Assertions.Expect(Status(tab)).ToHaveAttributeAsync("data-status", "paused");
        await Assertions.Expect(tab.Button("Resume")).ToBeEnabledAsync();
        await Assertions.Expect(tab.Button("Pause")).ToBeDisabledAsync();
        // Items in flight finish; then nothing runs until resumed.
        await Assertions.Expect(tab.Page.Locator("tr[data-status='running']")).ToHaveCountAsync(0);
        var paused = await tab.ProgressAsync(id);

        await tab.Button("Resume").ClickAsync();

        await Assertions.Expect(Status(tab)).ToHaveAttributeAsync("data-status", "running");
        await tab.WaitForProgressAboveAsync(id, paused + 2);
    }

    [Fact]
    public async Task Cancel_asks_first_then_stops_the_batch()
    {
        var id = await Server.StartDemoAsync(200);
        await using var tab = await browser.OpenAsync($"/batches/{id}");
        var before = await tab.WaitForProgressAboveAsync(id, 1);

        await tab.Button("Cancel").ClickAsync();
        var dialog = tab.Page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("Cancel this batch?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel batch" }).ClickAsync();

        await Assertions.Expect(Status(tab)).ToHaveAttributeAsync("data-status", "cancelled");
        await Assertions.Expect(tab.Button("Cancel")).ToBeDisabledAsync();
        await Assertions.Expect(tab.Button("Delete")).ToBeEnabledAsync();
        Assert.True(await tab.ProgressAsync(id) >= before);
        var cancelled = await Server.WithBatchesAsync(b => b.GetAsync(id));
        Assert.True(cancelled!.Cancelled > 0);
    }

    private static ILocator Status(AppPage tab) => tab.Page.Locator(".bm-title-line [data-status]");

    /// <summary>Types a value and leaves the field, as a person does (the page takes a field's value when it changes).</summary>
    private static async Task Fill(ILocator field, string value)
    {
        await field.FillAsync(value);
        await field.BlurAsync();
    }

    [GeneratedRegex("/batches/(?<id>[0-9a-f-]{36})$")]
    private static partial Regex BatchUrl();
}
