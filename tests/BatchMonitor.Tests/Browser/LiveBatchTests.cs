using BatchMonitor.Core.Access;
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

        await ChooseAsync(tab, "#handler", "demo");
        await Fill(page.Locator("#items"), string.Join('\n', Enumerable.Range(1, 40).Select(i => $"account-{i:00}")));
        await Fill(page.Locator("#arg-minMs"), "100");
        await Fill(page.Locator("#arg-maxMs"), "300");
        await Fill(page.Locator("#arg-failureRate"), "0");
        await Fill(page.Locator("#opt-concurrency"), "2");
        await Assertions.Expect(page.GetByTestId("item-count")).ToHaveTextAsync("40 items");
        await Assertions.Expect(page.Locator("#opt-concurrency")).ToHaveValueAsync("2");
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
        // Long enough (about 40 s) that it cannot finish while two tabs open on a busy machine; cancelled at the end.
        var id = await Server.StartDemoAsync(400);
        try
        {
            await using var first = await browser.OpenAsync($"/batches/{id}");
            await using var second = await first.NewTabAsync($"/batches/{id}");

            var seen = Math.Max(await first.ProgressAsync(id), await second.ProgressAsync(id));
            Assert.True(seen < 390, $"The batch had nearly finished ({seen} of 400) before the test could watch it advance.");
            var firstLater = await first.WaitForProgressAboveAsync(id, seen + 2);
            var secondLater = await second.WaitForProgressAboveAsync(id, firstLater);

            Assert.True(secondLater > seen + 2);
            // Both show the same truth within a moment: the first tab catches up with the second.
            await first.WaitForProgressAboveAsync(id, secondLater - 1);
        }
        finally
        {
            await Server.WithBatchesAsync(b => b.CancelAsync(id, Actor.Admin("browser-tests")));
        }
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
        await Assertions.Expect(tab.Page.Locator("td[data-item-key][data-status='running']")).ToHaveCountAsync(0);
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

    [Fact]
    public async Task A_disabled_Cancel_looks_like_every_other_disabled_button_in_the_dark_theme()
    {
        var id = await Server.StartDemoAsync(3, minMs: 10, maxMs: 20);
        await Wait.UntilAsync(async () => (await Server.WithBatchesAsync(b => b.GetAsync(id)))!.Status == Core.Domain.BatchStatus.Completed,
            "the batch to complete");
        await using var tab = await browser.OpenAsync($"/batches/{id}", "dark");
        await Assertions.Expect(tab.Button("Cancel")).ToBeDisabledAsync();
        await Assertions.Expect(tab.Button("Pause")).ToBeDisabledAsync();

        var cancel = await LookAsync(tab.Button("Cancel"));
        var pause = await LookAsync(tab.Button("Pause"));
        var delete = await LookAsync(tab.Button("Delete"));

        // The same dim text and border as a disabled plain button, nothing of the enabled red one's.
        Assert.Equal(pause, cancel);
        Assert.NotEqual(delete.Color, cancel.Color);
        Assert.NotEqual(delete.Border, cancel.Border);
        await tab.ScreenshotAsync("batch-finished-actions-dark");
    }

    [Fact]
    public async Task On_a_phone_a_batch_with_a_two_hundred_character_name_does_not_scroll_sideways()
    {
        var name = string.Concat(Enumerable.Repeat("overnight-account-synchronisation-", 7))[..200];
        var id = await Server.StartDemoAsync(30, minMs: 50, maxMs: 100, name: name);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 3,
            IsMobile = true,
            HasTouch = true,
        });
        context.SetDefaultTimeout((float)Wait.Limit.TotalMilliseconds);
        await using var tab = await AppPage.CreateAsync(context);

        foreach (var path in new[] { $"/batches/{id}", "/batches/new", $"/batches/new?from={id}" })
        {
            await tab.GotoAsync(path);
            await tab.Page.Locator("h1").WaitForAsync();
            // A mobile viewport widens to fit wide content: compare with the device's width, not innerWidth.
            Assert.True(await tab.Page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, $"{path} scrolls sideways");
            await tab.ScreenshotAsync($"phone{(path.Contains("new") ? path.Contains("from") ? "-clone" : "-new-batch" : "-batch")}");
        }
    }

    private static async Task<(string Color, string Border)> LookAsync(ILocator button)
    {
        var look = await button.EvaluateAsync<string[]>("b => { const s = getComputedStyle(b); return [s.color, s.borderTopColor, s.opacity]; }");
        return (look[0] + " " + look[2], look[1]);
    }

    /// <summary>Picks an option of a MudSelect (its list opens in a popover).</summary>
    private static async Task ChooseAsync(AppPage tab, string input, string option)
    {
        await tab.Page.Locator($"{input} ~ [role=combobox]").ClickAsync();
        await tab.Page.Locator(".mud-popover-open .mud-list-item").GetByText(option, new() { Exact = true }).ClickAsync();
        await Assertions.Expect(tab.Page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
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
