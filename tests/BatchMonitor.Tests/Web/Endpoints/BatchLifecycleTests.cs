using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>A script's whole journey, through HTTP only: create, follow the events, see it complete, export, clean up.</summary>
public class BatchLifecycleTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    [Fact]
    public async Task A_batch_created_over_http_streams_its_events_completes_and_exports_every_result()
    {
        using var client = app.Admin();
        var keys = Enumerable.Range(1, 8).Select(i => $"account-{i}").ToArray();

        var created = await client.PostAsJsonAsync("/api/v1/batches", new
        {
            name = "lifecycle",
            handler = "demo",
            items = keys,
            args = new { minMs = 120, maxMs = 120, failureRate = 0, steps = 2 },
            options = new { concurrency = 2 },
        });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var batch = (await created.Content.ReadFromJsonAsync<BatchView>(BatchMonitorApp.Json))!;
        Assert.Equal($"/api/v1/batches/{batch.Id}", created.Headers.Location?.OriginalString);
        Assert.Equal("bootstrap", batch.CreatedBy);
        Assert.Equal(8, batch.Total);

        // Follow the events until the server ends the stream (it does once the batch is finished).
        using var stream = await client.GetAsync($"{created.Headers.Location}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        var events = new List<ServerSentEvent>();
        await Wait.ForAsync(Task.Run(async () =>
        {
            await foreach (var e in ServerSentEvents.ReadAsync(await stream.Content.ReadAsStreamAsync())) events.Add(e);
        }), "the event stream to end with the batch");

        Assert.Equal("batchChanged", events[0].Name);
        var last = JsonSerializer.Deserialize<BatchView>(events.Last(e => e.Name == "batchChanged").Data, BatchMonitorApp.Json)!;
        Assert.Equal("completed", Core.Domain.StatusNames.Name(last.Status));
        Assert.Equal("batchChanged", events[^1].Name);
        var items = events.Where(e => e.Name == "itemChanged")
            .Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.Equal(batch.Id, i.GetProperty("batchId").GetGuid()));
        Assert.Contains(items, i => i.GetProperty("item").GetProperty("status").GetString() == "succeeded");

        var done = (await client.GetFromJsonAsync<BatchView>($"/api/v1/batches/{batch.Id}", BatchMonitorApp.Json))!;
        Assert.Equal(8, done.Succeeded);
        Assert.Equal(1.0, done.Progress);

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{batch.Id}/items?status=succeeded&limit=5");
        Assert.Equal(8, page.GetProperty("total").GetInt32());
        Assert.Equal(5, page.GetProperty("items").GetArrayLength());

        var logs = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{batch.Id}/logs?afterSeq=0&limit=200");
        Assert.Equal(JsonValueKind.Array, logs.ValueKind);

        var json = await client.GetAsync($"/api/v1/batches/{batch.Id}/results?format=json");
        Assert.Contains("attachment", json.Content.Headers.ContentDisposition?.ToString());
        var exported = (await json.Content.ReadFromJsonAsync<JsonElement[]>())!;
        Assert.Equal(keys, exported.Select(e => e.GetProperty("key").GetString()));
        Assert.All(exported, e => Assert.Equal("succeeded", e.GetProperty("status").GetString()));
        Assert.All(exported, e => Assert.Equal(120, e.GetProperty("result").GetProperty("durationMs").GetInt32()));

        var csv = await client.GetAsync($"/api/v1/batches/{batch.Id}/results?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("index,key,group,status,attempts,startedAt,finishedAt,durationMs,error,result", lines[0]);
        Assert.Equal(9, lines.Length);
        Assert.StartsWith("0,account-1,,succeeded,1,", lines[1]);

        var stats = await client.GetFromJsonAsync<JsonElement>("/api/v1/stats?window=1h");
        Assert.True(stats.GetProperty("succeeded").GetInt32() >= 8);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/batches/{batch.Id}")).StatusCode);
        await (await client.GetAsync($"/api/v1/batches/{batch.Id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Steering_follows_the_batch_state_and_answers_409_when_it_cannot()
    {
        using var client = app.Admin();
        var batch = await app.CreateBatchAsync(new { handler = "gate", items = new[] { "a", "b" }, options = new { priority = 3 } });
        await app.WaitForStatusAsync(batch.Id, "running");
        var url = $"/api/v1/batches/{batch.Id}";

        await (await client.PostAsync($"{url}/resume", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        var paused = await client.PostAsync($"{url}/pause", null);
        Assert.Equal("paused", (await paused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var patched = await client.PatchAsJsonAsync(url, new { priority = -5 });
        Assert.Equal(-5, (await patched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("priority").GetInt32());
        await (await client.DeleteAsync(url)).AssertProblemAsync(HttpStatusCode.Conflict);
        var cancelled = await client.PostAsync($"{url}/cancel", null);
        Assert.Equal("cancelled", (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await (await client.PostAsync($"{url}/retry-failed", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        var clone = await client.PostAsync($"{url}/clone", null);
        Assert.Equal(HttpStatusCode.Accepted, clone.StatusCode);
        var copy = (await clone.Content.ReadFromJsonAsync<BatchView>(BatchMonitorApp.Json))!;
        Assert.Equal(2, copy.Total);
        Assert.Equal($"/api/v1/batches/{copy.Id}", clone.Headers.Location?.OriginalString);
        await client.PostAsync($"/api/v1/batches/{copy.Id}/cancel", null);

        await (await client.PostAsync($"/api/v1/batches/{Guid.NewGuid()}/pause", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync($"/api/v1/batches/{Guid.NewGuid()}/clone", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(url)).StatusCode);
    }

    [Fact]
    public async Task The_list_filters_sorts_and_pages_and_active_shows_unfinished_batches()
    {
        using var client = app.Admin();
        var running = await app.CreateBatchAsync(new { name = "filter-me running", handler = "gate", items = new[] { "x" } });
        var done = await app.CreateBatchAsync(new { name = "filter-me done", handler = "demo", items = new[] { "y" }, args = new { minMs = 0, maxMs = 0, failureRate = 0 } });
        await app.WaitForStatusAsync(done.Id, "completed");
        await app.WaitForStatusAsync(running.Id, "running");

        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/batches?q=filter-me&status=running,queued&orderBy=-createdAt&limit=10&offset=0");
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(running.Id, list.GetProperty("items")[0].GetProperty("id").GetGuid());
        Assert.Equal(10, list.GetProperty("limit").GetInt32());

        var byName = await client.GetFromJsonAsync<JsonElement>("/api/v1/batches?q=filter-me&orderBy=name&limit=1&offset=1");
        Assert.Equal(2, byName.GetProperty("total").GetInt32());
        Assert.Equal("filter-me running", byName.GetProperty("items")[0].GetProperty("name").GetString());
        var first = await client.GetFromJsonAsync<JsonElement>("/api/v1/batches?q=filter-me&orderBy=name&limit=1");
        var next = await client.GetFromJsonAsync<JsonElement>(
            $"/api/v1/batches?q=filter-me&orderBy=name&limit=1&after={first.GetProperty("items")[0].GetProperty("id").GetGuid()}");
        Assert.Equal(byName.GetProperty("items")[0].GetProperty("id").GetGuid(), next.GetProperty("items")[0].GetProperty("id").GetGuid());
        var clean = await client.GetFromJsonAsync<JsonElement>("/api/v1/batches?q=filter-me&status=completed&failures=true");
        Assert.Equal(0, clean.GetProperty("total").GetInt32());

        var active = await client.GetFromJsonAsync<JsonElement[]>("/api/v1/batches/active");
        Assert.Contains(active!, b => b.GetProperty("id").GetGuid() == running.Id);
        Assert.DoesNotContain(active!, b => b.GetProperty("id").GetGuid() == done.Id);
        await client.PostAsync($"/api/v1/batches/{running.Id}/cancel", null);
    }

    [Fact]
    public async Task Handlers_describe_their_arguments()
    {
        var handlers = await app.Viewer().GetFromJsonAsync<JsonElement[]>("/api/v1/handlers");
        var demo = handlers!.Single(h => h.GetProperty("name").GetString() == "demo");
        var minMs = demo.GetProperty("arguments").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "minMs");
        Assert.Equal("integer", minMs.GetProperty("type").GetString());
        Assert.Equal(200, minMs.GetProperty("default").GetInt32());
        Assert.False(string.IsNullOrEmpty(demo.GetProperty("description").GetString()));
        Assert.Contains(handlers!, h => h.GetProperty("name").GetString() == "http");
    }
}
