using BatchMonitor.Core.Access;
using BatchMonitor.Tests.Support;
using Microsoft.Playwright;

namespace BatchMonitor.Tests.Browser;

/// <summary>Every page in both themes, kept as screenshots under TestResults/screenshots for a person to look at.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LookTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Every_page_renders_in_the_theme_without_errors(string theme)
    {
        var running = await browser.Server.StartDemoAsync(300, name: $"Screenshot batch ({theme})");
        var failing = await browser.Server.WithBatchesAsync(async b => (await b.CreateAsync(new Core.Services.CreateBatchRequest
        {
            Name = "Keywords with failures",
            Handler = "demo",
            Items = Enumerable.Range(1, 12).Select(i => new Core.Services.ItemInput($"keyword-{i:00}")).ToList(),
            Args = new() { ["minMs"] = 10, ["maxMs"] = 30, ["failureRate"] = 0.5 },
            Options = new Core.Services.OptionsInput { MaxAttempts = 1 },
        }, Actor.Admin("browser-tests"))).Batch!.Id);
        await using var tab = await browser.OpenAsync("/", theme);
        await tab.WaitForProgressAboveAsync(running, 2);

        var pages = new (string Name, string Path, string Heading)[]
        {
            ("dashboard", "/", "Dashboard"),
            ("batches", "/batches", "Batches"),
            ("batch-running", $"/batches/{running}", "Screenshot batch"),
            ("batch-with-failures", $"/batches/{failing}", "Keywords with failures"),
            ("new-batch", "/batches/new", "New batch"),
            ("handlers", "/handlers", "Handlers"),
            ("handler", "/handlers/demo", "demo"),
            ("batch-not-found", $"/batches/{Guid.NewGuid()}", "Batch not found"),
            ("not-found", "/no/such/page", "Nothing lives at this address"),
        };
        foreach (var (name, path, heading) in pages)
        {
            await tab.GotoAsync(path);
            Assert.Equal(theme, await tab.Page.Locator("html").GetAttributeAsync("data-theme"));
            Assert.Equal(theme, await tab.DrawnThemeAsync());
            await Assertions.Expect(tab.Page.Locator("h1")).ToContainTextAsync(heading);
            await tab.ScreenshotAsync($"{name}-{theme}");
        }

        // The two not-found pages answer 404 on purpose; Chromium logs that. Nothing else may go wrong.
        Assert.DoesNotContain(tab.ConsoleErrors, e => !e.Contains("404"));
        await browser.Server.WithBatchesAsync(b => b.CancelAsync(running, Actor.Admin("admin@example.com")));
    }

    [Fact]
    public async Task The_chosen_theme_is_remembered_by_the_browser_and_applied_before_the_first_paint()
    {
        await using var tab = await browser.OpenAsync("/", "light");
        Assert.Equal("light", await tab.Page.Locator("html").GetAttributeAsync("data-theme"));
        Assert.Equal("light", await tab.DrawnThemeAsync());

        await tab.ChooseThemeAsync("Dark");
        await Assertions.Expect(tab.Page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        Assert.Equal("dark", await tab.DrawnThemeSoonAsync("dark"));

        // The theme is on <html> by the time <body> is parsed: before the first paint, before Blazor starts.
        await tab.Page.AddInitScriptAsync("""
            new MutationObserver((_, observer) => {
              if (!document.body) return;
              window.__themeAtBody = document.documentElement.getAttribute('data-theme');
              observer.disconnect();
            }).observe(document, { childList: true, subtree: true });
            """);
        await tab.Page.ReloadAsync();
        await tab.WaitUntilLiveAsync();
        var atFirstPaint = await tab.Page.EvaluateAsync<string>("window.__themeAtBody");
        Assert.Equal("dark", await tab.Page.Locator("html").GetAttributeAsync("data-theme"));
        Assert.Equal("dark", atFirstPaint);
        // Prerendered in the chosen theme: the server read the cookie, so the first page drawn is dark.
        Assert.Equal("dark", await tab.DrawnThemeAsync());

        // Back to the system's choice: this browser's system says light.
        await tab.ChooseThemeAsync("Same as the system");
        await Assertions.Expect(tab.Page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
        Assert.Equal("light", await tab.DrawnThemeSoonAsync("light"));
    }
}
