using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using Microsoft.Playwright;

namespace BatchMonitor.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ExportTests(BrowserFixture browser)
{
    [Fact]
    public async Task Export_csv_on_the_batch_page_downloads_every_item_with_its_result()
    {
        var id = await browser.Server.StartDemoAsync(12, concurrency: 4, minMs: 10, maxMs: 20);
        await Wait.UntilAsync(async () => (await browser.Server.WithBatchesAsync(b => b.GetAsync(id)))!.Status == BatchStatus.Completed,
            "the batch to complete");
        await using var tab = await browser.OpenAsync($"/batches/{id}");

        var download = await tab.Page.RunAndWaitForDownloadAsync(() =>
            tab.Page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        var path = await download.PathAsync();
        var lines = await File.ReadAllLinesAsync(path!);

        Assert.EndsWith(".csv", download.SuggestedFilename);
        Assert.StartsWith("index,key,group,status", lines[0]);
        Assert.Equal(13, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("0,") && (l.Contains(",succeeded,") || l.Contains(",failed,")));
    }

    [Fact]
    public async Task The_log_panel_filters_by_item_and_text_as_you_type_and_downloads_the_whole_log()
    {
        var id = await browser.Server.WithBatchesAsync(async batches => (await batches.CreateAsync(new CreateBatchRequest
        {
            Name = "log export",
            Handler = "demo",
            Items = Enumerable.Range(1, 6).Select(i => new ItemInput($"key-{i:000}")).ToList(),
            Args = new System.Text.Json.Nodes.JsonObject { ["minMs"] = 0, ["maxMs"] = 0, ["failureRate"] = 1 },
            Options = new OptionsInput { MaxAttempts = 1 },
        }, Actor.Admin("browser-tests"))).Batch!.Id);
        await Wait.UntilAsync(async () => (await browser.Server.WithBatchesAsync(b => b.GetAsync(id)))!.Status == BatchStatus.Completed,
            "the batch to complete");
        await using var tab = await browser.OpenAsync($"/batches/{id}");
        await tab.WaitUntilLiveAsync();
        var log = tab.Page.Locator("[role=log]");
        var lines = log.Locator(".bm-log-line");
        await Assertions.Expect(lines).ToHaveCountAsync(6);

        await tab.Page.Locator("#log-search").PressSequentiallyAsync("nothing like this");
        await Assertions.Expect(log).ToContainTextAsync("No line matches this filter.");
        // What was typed stays in the box while the filter goes into the address (it comes back after a round trip).
        await Assertions.Expect(tab.Page.Locator("#log-search")).ToHaveValueAsync("nothing like this");
        await Assertions.Expect(tab.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"logQ=nothing(%20|\+)like(%20|\+)this$"));
        await tab.Page.Locator("#log-search").FillAsync("failed after");
        await Assertions.Expect(lines).ToHaveCountAsync(6);
        // The item box suggests the batch's keys as you type; choosing one shows its lines.
        await tab.Page.Locator("#log-item").FillAsync("y-003");
        var choice = tab.Page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "key-003" });
        await Assertions.Expect(choice).ToHaveCountAsync(1);
        await choice.ClickAsync();
        await Assertions.Expect(lines).ToHaveCountAsync(1);
        await Assertions.Expect(lines.First).ToContainTextAsync("key-003");
        await tab.ScreenshotAsync("batch-log-filtered");

        // The filter is in the address, so a refresh (or the link sent to a colleague) shows the same lines.
        await Assertions.Expect(tab.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"logItem=key-003.*logQ=failed(%20|\+)after|logQ=failed(%20|\+)after.*logItem=key-003"));
        await tab.Page.ReloadAsync();
        await tab.WaitUntilLiveAsync();
        await Assertions.Expect(lines).ToHaveCountAsync(1);
        await Assertions.Expect(lines.First).ToContainTextAsync("key-003");
        await Assertions.Expect(tab.Page.Locator("#log-search")).ToHaveValueAsync("failed after");
        await Assertions.Expect(tab.Page.Locator("#log-item")).ToHaveValueAsync("key-003");

        var download = await tab.Page.RunAndWaitForDownloadAsync(() =>
            tab.Page.GetByRole(AriaRole.Link, new() { Name = "Download", Exact = true }).ClickAsync());
        var file = await File.ReadAllLinesAsync((await download.PathAsync())!);

        Assert.Equal("log export-log.txt", download.SuggestedFilename);
        Assert.Equal(6, file.Length);
        Assert.All(file, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT[\d:.]+Z error key-00\d Failed after 1 attempt\(s\): Simulated failure while ", l));
        Assert.Empty(tab.ConsoleErrors);

        // On a phone, in both themes, the filtered panel stays within the width (kept for a look: TestResults/screenshots).
        foreach (var theme in new[] { "light", "dark" })
        {
            await using var phone = await browser.OpenAsync($"/batches/{id}", theme: theme, width: 390);
            await phone.WaitUntilLiveAsync();
            await phone.Page.Locator("#log-search").FillAsync("simulated");
            await Assertions.Expect(phone.Page.Locator("[role=log] .bm-log-line")).ToHaveCountAsync(6);
            var panel = phone.Page.Locator(".bm-log-panel");
            await panel.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Folder("screenshots"), $"batch-log-panel-390-{theme}.png") });
            Assert.True(await phone.Page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390);
        }
    }
}
