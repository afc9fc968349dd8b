using BatchMonitor.Core.Domain;
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
}
