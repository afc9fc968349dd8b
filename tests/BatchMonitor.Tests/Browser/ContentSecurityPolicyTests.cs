using BatchMonitor.Core.Access;
using BatchMonitor.Tests.Support;
using Microsoft.Playwright;

namespace BatchMonitor.Tests.Browser;

/// <summary>
/// The pages work in Chromium under the content security policy (scripts of this site only): signing in, live
/// updates over the circuit, charts, the theme switch, and not one policy violation on the console.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture browser)
{
    [Fact]
    public async Task Every_page_works_under_the_content_security_policy_without_a_violation()
    {
        var running = await browser.Server.StartDemoAsync(200, name: "Under the policy");
        await using var tab = await browser.OpenAsync("/");
        var violations = new List<string>();
        tab.Page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) lock (violations) violations.Add(message.Text);
        };
        var policy = (await tab.Page.ReloadAsync())!.Headers["content-security-policy"];
        Assert.Contains("script-src 'self'", policy);
        await tab.WaitUntilLiveAsync();

        // Live: the running batch's progress moves over the circuit's WebSocket.
        await tab.WaitForProgressAboveAsync(running, 2);
        foreach (var path in new[] { "/batches", $"/batches/{running}", "/batches/new", "/datasets", "/schedules", "/admin/users", "/admin/api-keys", "/admin/nodes" })
        {
            await tab.GotoAsync(path);
            await Assertions.Expect(tab.Page.Locator("h1")).ToBeVisibleAsync();
        }
        await tab.GotoAsync("/");
        var theme = await tab.Page.Locator("html").GetAttributeAsync("data-theme");
        await tab.ChooseThemeAsync(theme == "dark" ? "Light" : "Dark");
        await Assertions.Expect(tab.Page.Locator("html")).Not.ToHaveAttributeAsync("data-theme", theme!);

        Assert.Empty(violations);
        Assert.DoesNotContain(tab.ConsoleErrors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(tab.WebSockets, url => url.Contains("/_blazor"));
        await browser.Server.WithBatchesAsync(b => b.CancelAsync(running, Actor.Admin("browser-tests")));
    }
}
