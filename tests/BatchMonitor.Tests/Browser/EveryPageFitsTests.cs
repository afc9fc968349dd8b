using BatchMonitor.Core.Access;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BatchMonitor.Tests.Browser;

/// <summary>
/// Every page at a laptop's width and a phone's (390 px, mobile-emulated) in both themes: nothing scrolls the page
/// sideways, the page has its heading, and a screenshot of each stays under TestResults/screenshots.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EveryPageFitsTests(BrowserFixture browser)
{
    // A name as long as the form allows: it must wrap or shorten, never widen a page.
    private static readonly string LongName = "Collect every account of the spring campaign " + new string('x', 130);

    [Theory]
    [InlineData(390, "light")]
    [InlineData(390, "dark")]
    [InlineData(1440, "light")]
    [InlineData(1440, "dark")]
    public async Task Every_page_fits_the_screen_without_sideways_scrolling(int width, string theme)
    {
        var (batch, dataset, schedule) = await SeedAsync($"{width}-{theme}");
        await using var tab = await browser.OpenAsync("/", theme, width: width);

        var pages = new (string Name, string Path)[]
        {
            ("dashboard", "/"),
            ("batches", "/batches"),
            ("batch", $"/batches/{batch}"),
            ("new-batch", "/batches/new"),
            ("datasets", "/datasets"),
            ("dataset", $"/datasets/{dataset}"),
            ("schedules", "/schedules"),
            ("schedule", $"/schedules/{schedule}"),
            ("schedule-new", "/schedules/new"),
            ("schedule-edit", $"/schedules/{schedule}/edit"),
            ("users", "/admin/users"),
            ("api-keys", "/admin/api-keys"),
            ("audit", "/admin/audit"),
            ("nodes", "/admin/nodes"),
            ("handlers", "/handlers"),
            ("handler", "/handlers/demo"),
            ("not-found", "/no/such/page"),
        };
        foreach (var (name, path) in pages)
        {
            await tab.GotoAsync(path);
            await Assertions.Expect(tab.Page.Locator("h1")).ToBeVisibleAsync();
            Assert.Equal(theme, await tab.DrawnThemeAsync());
            var scrollWidth = await tab.Page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            await tab.ScreenshotAsync($"fit-{name}-{width}-{theme}");
            Assert.True(scrollWidth <= width, $"{path} is {scrollWidth} px wide on a {width} px screen ({theme}).");
        }
        Assert.DoesNotContain(tab.ConsoleErrors, e => !e.Contains("404"));
        await browser.Server.WithBatchesAsync(b => b.CancelAsync(batch, Actor.Admin("browser-tests")));
    }

    [Fact]
    public async Task On_a_phone_the_menu_starts_closed_and_the_menu_button_opens_it()
    {
        await using var tab = await browser.OpenAsync("/", width: 390);
        await tab.WaitUntilLiveAsync();
        var datasets = tab.Page.Locator("#bm-drawer").GetByRole(AriaRole.Link, new() { Name = "Datasets", Exact = true });
        await Assertions.Expect(datasets).Not.ToBeInViewportAsync();

        await tab.Button("Menu").ClickAsync();

        await Assertions.Expect(datasets).ToBeInViewportAsync();
        Assert.True(await tab.Page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390);
    }

    private async Task<(Guid Batch, Guid Dataset, Guid Schedule)> SeedAsync(string tag)
    {
        var batch = await browser.Server.StartDemoAsync(200, name: $"{LongName} {tag}", minMs: 200, maxMs: 400);
        await using var scope = browser.Server.Services.CreateAsyncScope();
        var admin = Actor.Admin("browser-tests");
        var rows = Enumerable.Range(1, 30).Select(i => new ItemInput($"account-{i:000}-{new string('k', 60)}")).ToList();
        var dataset = await scope.ServiceProvider.GetRequiredService<DatasetService>().CreateAsync($"{LongName} {tag}", rows, admin);
        Assert.True(dataset.IsOk, dataset.Errors?.ToString());
        var schedule = await scope.ServiceProvider.GetRequiredService<ScheduleService>().CreateAsync(new ScheduleInput
        {
            Name = $"{LongName} {tag}",
            Cron = "0 */10 * * * ?",
            TimeZone = "UTC",
            Enabled = false,
            Batch = new CreateBatchRequest { Name = LongName, Handler = "demo", Items = rows },
        }, admin);
        Assert.True(schedule.IsOk, schedule.Errors?.ToString());
        return (batch, dataset.Dataset!.Id, schedule.Schedule!.Id);
    }
}
