using BatchMonitor.Core.Access;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BatchMonitor.Tests.Browser;

/// <summary>
/// Seed 000 in a real Chromium: 500 accounts shown 50 per page; "process this page" on page 2 takes rows 51–100
/// and nothing else; leaving, coming back, refreshing or a second tab show each row's live state again.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DatasetPageTests(BrowserFixture browser)
{
    private BrowserServer Server => browser.Server;

    private static string Account(int i) => $"account-{i:000}";

    [Fact]
    public async Task Page_2_processed_shows_its_rows_live_after_leaving_coming_back_refreshing_and_in_a_second_tab()
    {
        var id = await CreateDatasetAsync($"accounts {Guid.NewGuid():N}"[..17], 500);
        await using var tab = await browser.OpenAsync($"/datasets/{id}");
        var page = tab.Page;
        await Assertions.Expect(Row(page, 1)).ToHaveAttributeAsync("data-status", "never");

        await tab.Button("Next").ClickAsync();
        await tab.UntilUrlAsync(url => url.EndsWith($"/datasets/{id}?page=2", StringComparison.Ordinal));
        await Assertions.Expect(Row(page, 51)).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("td[data-item-key]")).ToHaveCountAsync(50);

        await tab.Button("Process this page").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("Page 2: rows 51–100");
        // Items of 3–5 s: the batch outlasts the walk below (away, back, refresh, a second tab) on a loaded machine too.
        await Fill(dialog.Locator("#arg-minMs"), "3000");
        await Fill(dialog.Locator("#arg-maxMs"), "5000");
        await Fill(dialog.Locator("#arg-failureRate"), "0.3");
        await Fill(dialog.Locator("#arg-seed"), "7");
        await Fill(dialog.Locator("#opt-concurrency"), "5");
        await Fill(dialog.Locator("#opt-maxAttempts"), "1");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Start batch" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);

        // The banner links to the batch, which holds exactly rows 51–100 in order.
        var banner = page.Locator("[data-run-batch]");
        await Assertions.Expect(banner).ToBeVisibleAsync();
        var batchId = Guid.Parse((await banner.GetAttributeAsync("data-run-batch"))!);
        var batch = await Server.WithBatchesAsync(b => b.GetAsync(batchId));
        Assert.Equal(id, batch!.DatasetId);
        var keys = (await Server.WithBatchesAsync(b => b.ItemsAsync(batchId, new ItemQuery { Limit = 100 })))!.Items.Select(i => i.Key);
        Assert.Equal(Enumerable.Range(51, 50).Select(Account), keys);
        await SeesLiveRowsOfPage2Async(tab, batchId);

        // Away to the dashboard, and back through the Datasets list to page 2.
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await nav.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Dashboard");
        await nav.GetByRole(AriaRole.Link, new() { Name = "Datasets" }).ClickAsync();
        await page.Locator($"a[href='datasets/{id}']").ClickAsync();
        await tab.UntilUrlAsync(url => url.EndsWith($"/datasets/{id}", StringComparison.Ordinal));
        await tab.Button("Next").ClickAsync();
        await tab.UntilUrlAsync(url => url.EndsWith($"/datasets/{id}?page=2", StringComparison.Ordinal));
        await SeesLiveRowsOfPage2Async(tab, batchId);

        // Refreshed: the first paint already holds the live rows (read from the database), then they keep moving.
        await page.ReloadAsync();
        Assert.True(await page.Locator("td[data-live='true']").CountAsync() > 0, "The refreshed page's first paint shows no live row.");
        await tab.WaitUntilLiveAsync();
        await SeesLiveRowsOfPage2Async(tab, batchId);

        // No polling: while rows move on, the page makes no HTTP request.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var requests = tab.Requests.Count;
        var done = await FinishedRowsAsync(page);
        await page.WaitForFunctionAsync("n => document.querySelectorAll(\"td[data-live='true'][data-status='succeeded'], td[data-live='true'][data-status='failed']\").length > n", done);
        Assert.Equal([], tab.Requests.Skip(requests));

        // A second tab on the same page shows the same live rows.
        await using var second = await tab.NewTabAsync($"/datasets/{id}?page=2");
        await SeesLiveRowsOfPage2Async(second, batchId);

        // Page 1 is untouched: never processed, nothing live.
        await tab.Button("Previous").ClickAsync();
        await tab.UntilUrlAsync(url => new Uri(url).Query is "" or "?page=1");
        await Assertions.Expect(Row(page, 1)).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("td[data-item-key][data-status='never']")).ToHaveCountAsync(50);
        await Assertions.Expect(page.Locator("td[data-live]")).ToHaveCountAsync(0);
        await Assertions.Expect(banner).ToBeVisibleAsync();

        Assert.Empty(tab.ConsoleErrors);
        await Server.WithBatchesAsync(b => b.CancelAsync(batchId, Actor.Admin("admin@example.com")));
    }

    [Fact]
    public async Task Later_only_the_rows_that_failed_are_processed_again_with_the_options_of_the_last_run()
    {
        var id = await CreateDatasetAsync($"retry {Guid.NewGuid():N}"[..14], 30);
        var first = await Server.WithBatchesAsync(async b => (await b.CreateAsync(new CreateBatchRequest
        {
            Handler = "demo",
            Source = new BatchSource { DatasetId = id },
            Args = new() { ["minMs"] = 0, ["maxMs"] = 10, ["failureRate"] = 0.3, ["seed"] = 11 },
            Options = new OptionsInput { Concurrency = 4, MaxAttempts = 1 },
        }, Actor.Admin("browser-tests"))).Batch!);
        await Wait.UntilAsync(async () => (await Server.WithBatchesAsync(b => b.GetAsync(first.Id)))!.Status == Core.Domain.BatchStatus.Completed,
            "the first run to complete");
        var failed = (await Server.WithBatchesAsync(b => b.GetAsync(first.Id)))!.Failed;
        Assert.InRange(failed, 1, 29);

        await using var tab = await browser.OpenAsync($"/datasets/{id}?status=failed");
        var page = tab.Page;
        await Assertions.Expect(page.Locator("td[data-item-key][data-status='failed']")).ToHaveCountAsync(failed);
        var keys = await page.Locator("td[data-item-key]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.itemKey)");

        await tab.Button("Process this page").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync($"The {failed} row");
        await Assertions.Expect(dialog.Locator("#arg-failureRate")).ToHaveValueAsync("0.3");
        await Assertions.Expect(dialog.Locator("#opt-concurrency")).ToHaveValueAsync("4");
        await Fill(dialog.Locator("#arg-failureRate"), "0");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Start batch" }).ClickAsync();

        var banner = page.Locator("[data-run-batch]");
        await Assertions.Expect(banner).Not.ToHaveAttributeAsync("data-run-batch", first.Id.ToString());
        var retry = Guid.Parse((await banner.GetAttributeAsync("data-run-batch"))!);
        var items = (await Server.WithBatchesAsync(b => b.ItemsAsync(retry, new ItemQuery { Limit = 100 })))!.Items;
        Assert.Equal(keys, items.Select(i => i.Key));
        await Assertions.Expect(banner).ToHaveAttributeAsync("data-status", "completed");
        await Assertions.Expect(page.Locator("td[data-item-key]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-count='failed']")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("[data-count='succeeded']")).ToHaveTextAsync("30");
        Assert.Empty(tab.ConsoleErrors);
    }

    /// <summary>Rows 51–100 show the batch's items: running ones with their own bar, step and timer; finished ones with status and result.</summary>
    private static async Task SeesLiveRowsOfPage2Async(AppPage tab, Guid batchId)
    {
        var page = tab.Page;
        await Assertions.Expect(page.Locator($"[data-run-batch='{batchId}']")).ToBeVisibleAsync();
        // One row, looked at in one moment (a row may finish between two looks): a running row of page 2 with its
        // own progress bar, its step and its timer.
        await page.WaitForFunctionAsync("""
            () => [...document.querySelectorAll("td[data-live='true'][data-status='running']")].some(cell => {
              const row = cell.closest('tr'), key = cell.dataset.itemKey, n = Number(key.slice('account-'.length));
              const bar = row.querySelector(`[role='progressbar'][data-item-key='${key}']`);
              const time = row.querySelector('td.bm-col-time')?.textContent.trim() ?? '';
              return n >= 51 && n <= 100 && bar !== null && bar.getAttribute('aria-valuemax') === '100'
                && /\(\d+\/5\)/.test(row.textContent) && /^0:0\d$/.test(time);
            })
            """);
        // Every live row is a row of page 2; no row of page 2 is left without its item.
        foreach (var live in await page.Locator("td[data-live='true']").AllAsync())
            Assert.InRange(int.Parse((await live.GetAttributeAsync("data-item-key"))!["account-".Length..]), 51, 100);
        await Assertions.Expect(page.Locator("td[data-live='true']")).ToHaveCountAsync(50);
    }

    private static Task<int> FinishedRowsAsync(IPage page) =>
        page.Locator("td[data-live='true'][data-status='succeeded'], td[data-live='true'][data-status='failed']").CountAsync();

    /// <summary>A row's key cell, which carries its data-item-key, data-status and data-live (MudTable draws the tr).</summary>
    private static ILocator Row(IPage page, int i) => page.Locator($"td[data-item-key='{Account(i)}']");

    private async Task<Guid> CreateDatasetAsync(string name, int rows)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DatasetService>()
            .CreateAsync(name, Enumerable.Range(1, rows).Select(i => new ItemInput(Account(i))).ToList(), Actor.Admin("browser-tests"));
        Assert.True(result.IsOk, result.Errors?.ToString());
        return result.Dataset!.Id;
    }

    /// <summary>Types a value and leaves the field, as a person does.</summary>
    private static async Task Fill(ILocator field, string value)
    {
        await field.FillAsync(value);
        await field.BlurAsync();
    }
}
