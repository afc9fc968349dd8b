using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>GET …/items/{index}/attempts (viewers read) and POST …/items/{index}/retry (admins act).</summary>
public class AttemptEndpointTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    private async Task<Guid> FailedBatchAsync()
    {
        var batch = await app.CreateBatchAsync(new
        {
            handler = "demo", items = new[] { "fails", "fails too" }, args = new { minMs = 0, maxMs = 0, failureRate = 1 },
            options = new { maxAttempts = 2, retryBaseDelayMs = 0 },
        });
        await app.WaitForStatusAsync(batch.Id, "completed");
        return batch.Id;
    }

    [Fact]
    public async Task A_viewer_reads_every_attempt_of_an_item_in_the_list_envelope_oldest_first()
    {
        var id = await FailedBatchAsync();

        var list = JsonDocument.Parse(await app.Viewer().GetStringAsync($"/api/v1/batches/{id}/items/0/attempts")).RootElement;
        Assert.Equal(["items", "total", "limit", "offset"], list.EnumerateObject().Select(p => p.Name));
        Assert.Equal((2, 100, 0), (list.GetProperty("total").GetInt32(), list.GetProperty("limit").GetInt32(), list.GetProperty("offset").GetInt32()));
        var attempts = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["attempt", "node", "startedAt", "finishedAt", "durationMs", "outcome", "error", "detail"],
            attempts[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal([1, 2], attempts.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.All(attempts, a => Assert.Equal("failed", a.GetProperty("outcome").GetString()));
        Assert.All(attempts, a => Assert.EndsWith("Z", a.GetProperty("finishedAt").GetString()));
        Assert.False(string.IsNullOrEmpty(attempts[0].GetProperty("node").GetString()));
        Assert.False(string.IsNullOrEmpty(attempts[0].GetProperty("error").GetString()));

        var second = JsonDocument.Parse(await app.Viewer().GetStringAsync($"/api/v1/batches/{id}/items/0/attempts?limit=1&offset=1")).RootElement;
        Assert.Equal(2, Assert.Single(second.GetProperty("items").EnumerateArray().ToList()).GetProperty("attempt").GetInt32());
    }

    [Fact]
    public async Task Attempts_of_an_unknown_batch_or_index_are_404_a_bad_limit_is_a_field_error_and_anonymous_is_401()
    {
        var id = await FailedBatchAsync();
        await (await app.Viewer().GetAsync($"/api/v1/batches/{Guid.NewGuid()}/items/0/attempts")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.Viewer().GetAsync($"/api/v1/batches/{id}/items/9/attempts")).AssertProblemAsync(HttpStatusCode.NotFound);
        var problem = await (await app.Viewer().GetAsync($"/api/v1/batches/{id}/items/0/attempts?limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["limit"], problem.ErrorFields());
        problem = await (await app.Viewer().GetAsync($"/api/v1/batches/{id}/items/0/attempts?limit=1001&offset=-1")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["limit", "offset"], problem.ErrorFields().Order());
        await (await app.Anonymous().GetAsync($"/api/v1/batches/{id}/items/0/attempts")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_admin_retries_a_failed_item_of_a_finished_batch_which_runs_again_until_it_completes()
    {
        var id = await FailedBatchAsync();

        var response = await app.Admin().PostAsync($"/api/v1/batches/{id}/items/0/retry", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var batch = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(batch.GetProperty("status").GetString(), new[] { "queued", "running", "completed" });

        var done = await app.WaitForStatusAsync(id, "completed");
        Assert.Equal((2, 0), (done.Failed, done.Pending));
        var attempts = JsonDocument.Parse(await app.Viewer().GetStringAsync($"/api/v1/batches/{id}/items/0/attempts")).RootElement;
        Assert.Equal(4, attempts.GetProperty("total").GetInt32()); // two before the retry, a fresh allowance of two after
        Assert.Equal(2, JsonDocument.Parse(await app.Viewer().GetStringAsync($"/api/v1/batches/{id}/items/1/attempts")).RootElement
            .GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Retrying_an_item_that_did_not_fail_is_409_an_unknown_one_404_and_a_viewer_is_403_with_nothing_changed()
    {
        var ok = await app.CreateBatchAsync(new { handler = "demo", items = new[] { "a" }, args = new { minMs = 0, maxMs = 0, failureRate = 0 } });
        await app.WaitForStatusAsync(ok.Id, "completed");
        var failed = await FailedBatchAsync();

        var conflict = await (await app.Admin().PostAsync($"/api/v1/batches/{ok.Id}/items/0/retry", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("succeeded", conflict.GetProperty("detail").GetString());
        await (await app.Admin().PostAsync($"/api/v1/batches/{ok.Id}/items/5/retry", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.Admin().PostAsync($"/api/v1/batches/{Guid.NewGuid()}/items/0/retry", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.Viewer().PostAsync($"/api/v1/batches/{failed}/items/0/retry", null)).AssertProblemAsync(HttpStatusCode.Forbidden);

        var after = await app.Admin().GetFromJsonAsync<Core.Views.BatchView>($"/api/v1/batches/{failed}", BatchMonitorApp.Json);
        Assert.Equal((Core.Domain.BatchStatus.Completed, 2), (after!.Status, after.Failed));
    }
}
