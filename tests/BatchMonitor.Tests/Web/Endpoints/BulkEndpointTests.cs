using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>POST /api/v1/batches/bulk: "all that match" for scripts, with the list's filters; admins only, bad input changes nothing.</summary>
public sealed class BulkEndpointTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    private static readonly object Slow = new { minMs = 60_000, maxMs = 60_000, failureRate = 0 };

    private async Task<Guid> RunningAsync(string name)
    {
        var batch = await app.CreateBatchAsync(new { handler = "demo", name, items = new[] { "a", "b" }, args = Slow });
        await app.WaitForStatusAsync(batch.Id, "running", "queued");
        return batch.Id;
    }

    private async Task<string> StatusAsync(Guid id) =>
        JsonDocument.Parse(await app.Admin().GetStringAsync($"/api/v1/batches/{id}")).RootElement.GetProperty("status").GetString()!;

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task A_dry_run_counts_what_matches_and_the_cancel_then_stops_exactly_those()
    {
        var tag = $"bulk-{Guid.NewGuid():N}"[..13];
        var matching = new[] { await RunningAsync($"{tag} one"), await RunningAsync($"{tag} two") };
        var other = await RunningAsync("another batch");

        var dry = await OkAsync(await app.Admin().PostAsync($"/api/v1/batches/bulk?action=cancel&q={tag}&dryRun=true", null));
        Assert.Equal(["action", "dryRun", "matched", "changed", "firstRefusal"], dry.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("cancel", true, 2, 0), (dry.GetProperty("action").GetString(), dry.GetProperty("dryRun").GetBoolean(),
            dry.GetProperty("matched").GetInt32(), dry.GetProperty("changed").GetInt32()));
        Assert.All(matching, id => Assert.NotEqual("cancelled", StatusAsync(id).Result));

        var done = await OkAsync(await app.Admin().PostAsync($"/api/v1/batches/bulk?action=cancel&q={tag}", null));
        Assert.Equal((2, 2), (done.GetProperty("matched").GetInt32(), done.GetProperty("changed").GetInt32()));
        foreach (var id in matching) Assert.Equal("cancelled", await StatusAsync(id));
        Assert.NotEqual("cancelled", await StatusAsync(other));
        await app.Admin().PostAsync($"/api/v1/batches/{other}/cancel", null);

        // Deleting the finished ones that match: the two cancelled batches go, nothing else.
        var deleted = await OkAsync(await app.Admin().PostAsync($"/api/v1/batches/bulk?action=delete&q={tag}&status=cancelled", null));
        Assert.Equal((2, 2), (deleted.GetProperty("matched").GetInt32(), deleted.GetProperty("changed").GetInt32()));
        foreach (var id in matching) Assert.Equal(HttpStatusCode.NotFound, (await app.Admin().GetAsync($"/api/v1/batches/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().GetAsync($"/api/v1/batches/{other}")).StatusCode);
    }

    [Fact]
    public async Task Retry_failed_applies_to_the_batches_with_failed_items_of_the_filter()
    {
        var tag = $"bulk-{Guid.NewGuid():N}"[..13];
        var failing = await app.CreateBatchAsync(new
        {
            handler = "demo", name = $"{tag} failing", items = new[] { "x", "y" }, args = new { minMs = 0, maxMs = 0, failureRate = 1 },
            options = new { maxAttempts = 1 },
        });
        var fine = await app.CreateBatchAsync(new
        {
            handler = "demo", name = $"{tag} fine", items = new[] { "x" }, args = new { minMs = 0, maxMs = 0, failureRate = 0 },
        });
        await app.WaitForStatusAsync(failing.Id, "completed");
        await app.WaitForStatusAsync(fine.Id, "completed");

        var result = await OkAsync(await app.Admin().PostAsync($"/api/v1/batches/bulk?action=retry-failed&q={tag}&failures=true", null));
        Assert.Equal((1, 1), (result.GetProperty("matched").GetInt32(), result.GetProperty("changed").GetInt32()));
        var retried = await app.WaitForStatusAsync(failing.Id, "completed");
        Assert.True(retried.Failed == 2, "the failed items ran again (and failed again)");
        var attempts = JsonDocument.Parse(await app.Admin().GetStringAsync($"/api/v1/batches/{failing.Id}/items/0/attempts")).RootElement;
        Assert.Equal(2, attempts.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("", "action")]
    [InlineData("?action=explode", "action")]
    [InlineData("?action=cancel&status=sleeping", "status")]
    [InlineData("?action=cancel&failures=maybe", "failures")]
    [InlineData("?action=cancel&dryRun=perhaps", "dryRun")]
    public async Task Bad_input_is_refused_field_by_field_and_changes_nothing(string query, string field)
    {
        var running = await RunningAsync($"kept-{Guid.NewGuid():N}");
        var response = await app.Admin().PostAsync($"/api/v1/batches/bulk{query}", null);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.NotEqual("cancelled", await StatusAsync(running));
        await app.Admin().PostAsync($"/api/v1/batches/{running}/cancel", null);
    }

    [Fact]
    public async Task A_viewer_is_refused_and_nothing_changes()
    {
        var running = await RunningAsync($"kept-{Guid.NewGuid():N}");
        var response = await app.Viewer().PostAsync("/api/v1/batches/bulk?action=cancel", null);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotEqual("cancelled", await StatusAsync(running));
        await app.Admin().PostAsync($"/api/v1/batches/{running}/cancel", null);
    }
}
