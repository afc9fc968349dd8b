using BatchMonitor.Core.Domain;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Auth.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BatchMonitor.Tests.Browser;

/// <summary>A viewer in Chromium: looks at everything, is shown no form that changes anything, and the admin pages say why.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ViewerTests(BrowserFixture browser)
{
    private const string ViewerEmail = "viewer@batchmonitor.test";
    private const string ViewerPassword = "Viewer-watches-closely-7";

    [Fact]
    public async Task A_viewer_gets_no_form_to_start_a_batch_or_save_a_schedule_and_the_live_batch_runs_on()
    {
        await EnsureViewerAsync();
        var id = await browser.Server.StartDemoAsync(40, concurrency: 1, minMs: 100, maxMs: 150, name: "watched by a viewer");
        await using var tab = await browser.OpenAsync($"/batches/{id}", signInAs: (ViewerEmail, ViewerPassword));

        await tab.WaitForProgressAboveAsync(id, 0);
        Assert.Equal(0, await tab.Button("Pause").CountAsync());
        Assert.Equal(0, await tab.Button("Cancel").CountAsync());
        Assert.Equal(0, await tab.Page.GetByRole(AriaRole.Link, new() { Name = "New batch" }).CountAsync());

        foreach (var path in new[] { "/batches/new?handler=http", "/schedules/new" })
        {
            await tab.Page.GotoAsync(path); // the server answers with its access-denied page: no circuit to wait for
            await Assertions.Expect(tab.Page.Locator("[data-testid=not-allowed]")).ToContainTextAsync("needs the admin role");
            Assert.Equal(0, await tab.Page.Locator("form.bm-new, #schedule-name").CountAsync());
        }

        // The schedules are there to follow; what a viewer cannot do there is said, not offered.
        await tab.GotoAsync("/schedules");
        await Assertions.Expect(tab.Page.GetByTestId("viewer-note")).ToContainTextAsync("need the admin role");
        Assert.Equal(0, await tab.Page.GetByRole(AriaRole.Link, new() { Name = "New schedule" }).CountAsync());
        Assert.Equal(0, await tab.Page.Locator(".mud-switch").CountAsync());

        var batches = await browser.Server.WithBatchesAsync(b => b.ListAsync(new Core.Services.BatchListQuery { Limit = 500 }));
        Assert.DoesNotContain(batches.Items, b => b.CreatedBy == ViewerEmail);
        Assert.NotEqual(BatchStatus.Cancelled, (await browser.Server.WithBatchesAsync(b => b.GetAsync(id)))!.Status);
        Assert.Empty(tab.ConsoleErrors);
    }

    private async Task EnsureViewerAsync()
    {
        var users = browser.Server.Services.GetRequiredService<UserDirectory>();
        if ((await users.ListAsync()).Any(u => u.Email == ViewerEmail)) return;
        var errors = await users.CreateAsync(ViewerEmail, ViewerPassword, Roles.Viewer);
        Assert.True(errors.IsValid, errors.ToString());
    }
}
