using BatchMonitor.Core.Access;
using BatchMonitor.Tests.Support;
using Microsoft.Playwright;

namespace BatchMonitor.Tests.Browser;

/// <summary>The guard for the reconnect behaviour of the blazor.web.js we ship (TOOLCHAIN.md): a server restart.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ServerRestartTests(BrowserFixture browser)
{
    [Fact]
    public async Task After_a_server_restart_the_page_shows_the_reconnect_ui_then_reloads_itself_with_the_resumed_batch()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bm-restart-{Guid.NewGuid():N}.db");
        try
        {
            var first = new BrowserServer(path);
            var port = first.BaseAddress.Port;
            var id = await first.StartDemoAsync(400, concurrency: 1, minMs: 150, maxMs: 250);
            await using var tab = await browser.OpenAsync($"/batches/{id}", server: first);
            var before = await tab.WaitForProgressAboveAsync(id, 2);
            await tab.Page.EvaluateAsync("window.__sameDocument = true");

            await first.DisposeAsync();
            await Assertions.Expect(tab.Page.Locator("#components-reconnect-modal"))
                .ToHaveClassAsync(new System.Text.RegularExpressions.Regex("components-reconnect-(show|failed)"));

            await using var second = new BrowserServer(path, port);
            // The old circuit is unknown to the new server: the page reloads itself (no one touches it).
            await tab.Page.WaitForFunctionAsync("() => window.__sameDocument === undefined", null,
                new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 200 });
            if (await tab.SignInIfAskedAsync()) await tab.Page.GotoAsync($"/batches/{id}");
            await tab.WaitUntilLiveAsync();

            var after = await tab.ProgressAsync(id);
            Assert.True(after >= before, $"After the restart the page showed {after}, before it {before}.");
            await tab.WaitForProgressAboveAsync(id, after);
            await Assertions.Expect(tab.Page.Locator(".bm-title-line [data-status]")).ToHaveAttributeAsync("data-status", "running");
            await second.WithBatchesAsync(b => b.CancelAsync(id, Actor.Admin("admin@example.com")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        }
    }
}
