using BatchMonitor.Core.Access;
using BatchMonitor.Tests.Support;
using Microsoft.Playwright;

namespace BatchMonitor.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class BatchListTests(BrowserFixture browser)
{
    [Fact]
    public async Task Status_sort_and_search_live_in_the_address_and_survive_a_refresh()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var cancelled = await browser.Server.StartDemoAsync(50, name: $"zulu {tag}");
        await browser.Server.WithBatchesAsync(b => b.CancelAsync(cancelled, Actor.Admin("admin@example.com")));
        var other = await browser.Server.StartDemoAsync(50, name: $"alpha {tag}");
        await browser.Server.WithBatchesAsync(b => b.CancelAsync(other, Actor.Admin("admin@example.com")));
        await using var tab = await browser.OpenAsync("/batches?status=cancelled");
        var page = tab.Page;

        await Assertions.Expect(page.Locator("[aria-current=page][href*='status=cancelled']")).ToBeVisibleAsync();
        var statuses = await page.Locator("tbody tr[data-status]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.status)");
        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.Equal("cancelled", s));

        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search batches" }).FillAsync(tag);
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search batches" }).PressAsync("Enter");
        await tab.UntilUrlAsync(url => url.Contains($"q={tag}"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Name" }).ClickAsync();
        await tab.UntilUrlAsync(url => url.Contains("orderBy=name"));

        await tab.ReloadAsync();

        Assert.Contains("status=cancelled", page.Url);
        await Assertions.Expect(page.Locator("th[aria-sort=ascending]")).ToContainTextAsync("Name");
        await Assertions.Expect(page.Locator("tbody tr[data-batch-id]")).ToHaveCountAsync(2);
        Assert.Equal([other.ToString(), cancelled.ToString()],
            await page.Locator("tbody tr[data-batch-id]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.batchId)"));
    }

    [Fact]
    public async Task A_row_follows_its_batch_live()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var id = await browser.Server.StartDemoAsync(120, name: $"live row {tag}");
        await using var tab = await browser.OpenAsync($"/batches?q={tag}");

        var first = await tab.WaitForProgressAboveAsync(id, 0);
        await tab.WaitForProgressAboveAsync(id, first + 3);

        await browser.Server.WithBatchesAsync(b => b.PauseAsync(id, Actor.Admin("admin@example.com")));
        await Assertions.Expect(tab.Page.Locator($"tr[data-batch-id='{id}']")).ToHaveAttributeAsync("data-status", "paused");
        await browser.Server.WithBatchesAsync(b => b.CancelAsync(id, Actor.Admin("admin@example.com")));
    }
}
