using BatchMonitor.Core.Access;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BatchMonitor.Tests.Browser;

/// <summary>The dataset pages in both themes, kept as screenshots under TestResults/screenshots for a person to look at.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DatasetLookTests(BrowserFixture browser)
{
    private BrowserServer Server => browser.Server;

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task The_dataset_pages_render_in_the_theme_without_errors(string theme)
    {
        var servers = new[] { "Siel", "Israphel", "Nezakan" };
        var characters = await CreateDatasetAsync($"Characters ({theme})", Enumerable.Range(1, 90)
            .Select(i => new ItemInput($"char-{i:00}", servers[i % 3], new System.Text.Json.Nodes.JsonObject { ["level"] = i })).ToList());
        var ranked = await StartAsync(characters, new BatchSource { DatasetId = characters, Only = SourceRows.All }, minMs: 0, maxMs: 20, failureRate: 0.2);
        await WaitForAsync(ranked, finished: true);
        var accounts = await CreateDatasetAsync($"Accounts ({theme})", Enumerable.Range(1, 500).Select(i => new ItemInput($"account-{i:000}")).ToList());
        var running = await StartAsync(accounts, new BatchSource { DatasetId = accounts, Page = 2, PageSize = 50 }, minMs: 3000, maxMs: 6000, failureRate: 0.1);
        await WaitForAsync(running, finished: false);

        await using var tab = await browser.OpenAsync("/datasets", theme);
        await Assertions.Expect(tab.Page.Locator($"[data-dataset-id='{accounts}']")).ToContainTextAsync("processing");
        await tab.ScreenshotAsync($"datasets-{theme}");

        await tab.GotoAsync($"/datasets/{accounts}?page=2");
        await Assertions.Expect(tab.Page.Locator("td[data-live='true'][data-status='running']").First).ToBeVisibleAsync();
        await tab.ScreenshotAsync($"dataset-live-{theme}");

        await tab.GotoAsync($"/datasets/{characters}?pageSize=25");
        await Assertions.Expect(tab.Page.Locator("[data-run-batch]")).ToContainTextAsync("Last run");
        await tab.ScreenshotAsync($"dataset-last-run-{theme}");

        await tab.GotoAsync($"/datasets/{characters}?status=failed&group=Siel");
        await Assertions.Expect(tab.Page.Locator("td[data-item-key]").First).ToHaveAttributeAsync("data-status", "failed");
        await tab.Button("Process this page").ClickAsync();
        var dialog = tab.Page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("Options as in the last run");
        await dialog.Locator(".bm-advanced-toggle").ClickAsync();
        await tab.ScreenshotAsync($"dataset-process-dialog-{theme}");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        // A new dataset refused: each problem by line, each invalid field beside it.
        await tab.GotoAsync("/datasets");
        await tab.Page.Locator("#dataset-items").FillAsync($"alice\nbob\n\n{new string('x', 1001)}\nalice\ncarol");
        await tab.Page.Locator("#dataset-items").BlurAsync();
        await tab.Button("Create dataset").ClickAsync();
        await Assertions.Expect(tab.Page.Locator("[data-testid='item-errors']")).ToContainTextAsync("Line 4:");
        await tab.ScreenshotAsync($"dataset-new-refused-{theme}");

        await tab.GotoAsync($"/datasets/{Guid.NewGuid()}");
        await Assertions.Expect(tab.Page.Locator("h1")).ToContainTextAsync("Dataset not found");

        Assert.DoesNotContain(tab.ConsoleErrors, e => !e.Contains("404"));
        await Server.WithBatchesAsync(b => b.CancelAsync(running, Actor.Admin("admin@example.com")));
    }

    private async Task<Guid> CreateDatasetAsync(string name, List<ItemInput> rows)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DatasetService>().CreateAsync(name, rows, Actor.Admin("browser-tests"));
        Assert.True(result.IsOk, result.Errors?.ToString());
        return result.Dataset!.Id;
    }

    private Task<Guid> StartAsync(Guid dataset, BatchSource source, int minMs, int maxMs, double failureRate) =>
        Server.WithBatchesAsync(async b =>
        {
            var result = await b.CreateAsync(new CreateBatchRequest
            {
                Handler = "demo",
                Source = source,
                Args = new() { ["minMs"] = minMs, ["maxMs"] = maxMs, ["failureRate"] = failureRate, ["seed"] = 3 },
                Options = new OptionsInput { Concurrency = 4, MaxAttempts = 1, FailGroupAfter = 5 },
            }, Actor.Admin("browser-tests"));
            Assert.True(result.IsOk, result.Errors?.ToString());
            return result.Batch!.Id;
        });

    private Task WaitForAsync(Guid batch, bool finished) => Wait.UntilAsync(async () =>
    {
        var view = await Server.WithBatchesAsync(b => b.GetAsync(batch));
        return finished ? view!.Status.IsFinished() : view!.Running > 0;
    }, finished ? "the batch to finish" : "the batch to run items");
}
