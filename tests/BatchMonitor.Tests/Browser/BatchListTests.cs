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
        var statuses = await page.Locator("tbody [data-batch-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.status)");
        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.Equal("cancelled", s));

        // No Enter: the search applies once the typing pauses.
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search batches" }).PressSequentiallyAsync(tag);
        await tab.UntilUrlAsync(url => url.Contains($"q={tag}"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Name" }).ClickAsync();
        await tab.UntilUrlAsync(url => url.Contains("orderBy=name"));

        await tab.ReloadAsync();

        Assert.Contains("status=cancelled", page.Url);
        await Assertions.Expect(page.Locator("th[aria-sort=ascending]")).ToContainTextAsync("Name");
        await Assertions.Expect(page.Locator("tbody [data-batch-row]")).ToHaveCountAsync(2);
        Assert.Equal([other.ToString(), cancelled.ToString()],
            await page.Locator("tbody [data-batch-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.batchRow)"));
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
        await Assertions.Expect(tab.Page.Locator($"[data-batch-row='{id}']")).ToHaveAttributeAsync("data-status", "paused");
        await browser.Server.WithBatchesAsync(b => b.CancelAsync(id, Actor.Admin("admin@example.com")));
    }

    [Fact]
    public async Task A_200_character_name_neither_widens_the_table_nor_scrolls_a_phone_sideways()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var name = $"{tag} " + string.Concat(Enumerable.Repeat("averyveryverylongname", 10))[..191];
        var id = await browser.Server.StartDemoAsync(20, name: name);
        await using var tab = await browser.OpenAsync($"/batches?q={tag}");
        var page = tab.Page;
        await Assertions.Expect(page.Locator($"[data-batch-row='{id}']")).ToBeVisibleAsync();

        foreach (var width in new[] { 1360, 900, 390 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await Assertions.Expect(page.Locator($"[data-batch-row='{id}']")).ToBeVisibleAsync();
            var widths = await page.EvaluateAsync<int[]>(
                """
                () => {
                  const table = document.querySelector('.bm-batch-table table');
                  const container = document.querySelector('.bm-batch-table .mud-table-container');
                  return [table.scrollWidth, container.clientWidth, document.documentElement.scrollWidth];
                }
                """);
            var (table, container, document) = (widths[0], widths[1], widths[2]);
            Assert.True(table <= container, $"At {width} px the table is {table} px wide in a container of {container} px.");
            Assert.True(document <= width, $"At {width} px the page is {document} px wide.");
        }
        await browser.Server.WithBatchesAsync(b => b.CancelAsync(id, Actor.Admin("admin@example.com")));
    }

    [Fact]
    public async Task The_dashboard_chart_keeps_its_legend_inside_its_card_on_a_laptop_and_a_phone()
    {
        await using var tab = await browser.OpenAsync("/");
        var page = tab.Page;
        foreach (var width in new[] { 1360, 390 })
        {
            await page.SetViewportSizeAsync(width, 900);
            var legend = page.Locator(".bm-chart .mud-chart-legend").First;
            await Assertions.Expect(legend).ToBeVisibleAsync();
            var card = page.Locator(".bm-panel", new() { Has = page.Locator(".bm-chart") });
            // After a resize the drawer slides away and the cards reflow: measure once the layout has settled.
            string? outside = null;
            for (var look = 0; look < 50; look++)
            {
                var inner = (await legend.BoundingBoxAsync())!;
                var outer = (await card.BoundingBoxAsync())!;
                var inside = inner.X >= outer.X && inner.X + inner.Width <= outer.X + outer.Width + 0.5
                             && inner.Y >= outer.Y && inner.Y + inner.Height <= outer.Y + outer.Height + 0.5;
                outside = inside ? null
                    : $"At {width} px the legend ({inner.X},{inner.Y} {inner.Width}x{inner.Height}) leaves its card ({outer.X},{outer.Y} {outer.Width}x{outer.Height}).";
                if (inside) break;
                await page.WaitForTimeoutAsync(100);
            }
            Assert.Null(outside);
            Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= width);
        }
    }
}
