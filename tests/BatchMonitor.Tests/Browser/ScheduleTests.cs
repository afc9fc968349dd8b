using System.Globalization;
using System.Text.RegularExpressions;
using BatchMonitor.Tests.Support;
using Microsoft.Playwright;

namespace BatchMonitor.Tests.Browser;

/// <summary>A schedule made in the form, in real Chromium: it counts down, fires on time and its run shows up live.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ScheduleTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task A_schedule_made_in_the_form_counts_down_then_starts_its_run_on_time_and_shows_it_live(string theme)
    {
        await using var tab = await browser.OpenAsync("/schedules/new", theme);
        var page = tab.Page;

        await page.Locator("#schedule-name").FillAsync($"Every few seconds ({theme})");
        await page.Locator("button", new() { HasText = "Every N seconds" }).ClickAsync();
        await page.Locator("#schedule-interval").FillAsync("6");
        await Assertions.Expect(page.Locator("[data-testid=next-fires] li")).ToHaveCountAsync(5);
        await Fill(page.Locator("#arg-minMs"), "300");
        await Fill(page.Locator("#arg-maxMs"), "600");
        await Fill(page.Locator("#arg-failureRate"), "0");
        await Fill(page.Locator("#items"), "alpha\nbeta\ngamma");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await tab.ScreenshotAsync($"schedule-form-{theme}");
        await tab.Button("Create schedule").ClickAsync();

        await tab.UntilUrlAsync(ScheduleUrl());
        await tab.WaitUntilLiveAsync();
        var requests = tab.Requests.Count;

        // The next run counts down on its own, second by second.
        var relative = page.Locator("[data-testid=next-run] [data-testid=relative]");
        var first = Seconds(await relative.TextContentAsync());
        await page.WaitForFunctionAsync(
            "([selector, first]) => { const m = /in (\\d+) s/.exec(document.querySelector(selector)?.textContent ?? ''); return m && Number(m[1]) < first; }",
            new object[] { "[data-testid=next-run] [data-testid=relative]", first });

        // The run starts when it is due, appears in the history, and its batch's progress arrives live until it completes.
        var started = page.Locator("td[data-outcome=started]").Last;
        await started.WaitForAsync();
        var due = DateTime.Parse((await started.Locator("time").GetAttributeAsync("datetime"))!, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal);
        Assert.Equal("false", await started.GetAttributeAsync("data-manual"));
        var batchId = Guid.Parse((await started.GetAttributeAsync("data-batch-id"))!);
        var batch = await browser.Server.WithBatchesAsync(b => b.GetAsync(batchId));
        Assert.True(batch!.CreatedAt - due < TimeSpan.FromSeconds(2), $"due {due:O}, started {batch.CreatedAt:O}");
        await Assertions.Expect(page.Locator($"[data-run-batch='{batchId}'] [data-status]")).ToHaveAttributeAsync("data-status", "completed");
        await Assertions.Expect(page.Locator($"[role=progressbar][data-batch-id='{batchId}']")).ToHaveAttributeAsync("aria-valuenow", "3");
        await tab.ScreenshotAsync($"schedule-history-{theme}");

        // All of it came over the circuit: the page made no HTTP request after it loaded.
        Assert.Equal([], tab.Requests.Skip(requests));
        Assert.Empty(tab.ConsoleErrors);

        await page.Locator("#schedule-enabled").UncheckAsync();
        await Assertions.Expect(page.GetByTestId("enabled")).ToHaveTextAsync("disabled");
        await tab.GotoAsync("/schedules");
        await tab.ScreenshotAsync($"schedules-{theme}");
    }

    private static int Seconds(string? relative) =>
        RelativeSeconds().Match(relative ?? "") is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"'{relative}' is not a countdown in seconds");

    private static async Task Fill(ILocator field, string value)
    {
        await field.FillAsync(value);
        await field.BlurAsync();
    }

    [GeneratedRegex(@"in (\d+) s")]
    private static partial Regex RelativeSeconds();

    [GeneratedRegex("/schedules/[0-9a-f-]{36}$")]
    private static partial Regex ScheduleUrl();
}
