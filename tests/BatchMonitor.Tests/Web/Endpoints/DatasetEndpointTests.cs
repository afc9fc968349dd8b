using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>Datasets through HTTP only, as a script uses them: create, read pages, append, rename, run batches over them, delete.</summary>
public class DatasetEndpointTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    private const string Datasets = "/api/v1/datasets";

    private static string Key(int i) => $"account-{i:000}";

    [Fact]
    public async Task A_dataset_created_over_http_is_listed_and_read_page_by_page_with_filters()
    {
        using var client = app.Admin();
        var rows = Enumerable.Range(1, 500).Select(i => i % 100 == 0
            ? (object)new { key = Key(i), group = "siel", payload = new { level = i } }
            : Key(i)).ToArray();

        var created = await client.PostAsJsonAsync(Datasets, new { name = "  accounts  ", items = rows });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var dataset = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = dataset.GetProperty("id").GetGuid();
        Assert.Equal($"{Datasets}/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("accounts", dataset.GetProperty("name").GetString());
        Assert.Equal(500, dataset.GetProperty("rowCount").GetInt32());
        Assert.Equal(500, dataset.GetProperty("neverProcessed").GetInt32());
        Assert.Equal(500, dataset.GetProperty("pending").GetInt32());
        Assert.Equal("bootstrap", dataset.GetProperty("createdBy").GetString());

        var list = await client.GetFromJsonAsync<JsonElement>(Datasets);
        Assert.Contains(list.EnumerateArray(), d => d.GetProperty("id").GetGuid() == id);
        var one = await client.GetFromJsonAsync<JsonElement>($"{Datasets}/{id}");
        Assert.Equal(500, one.GetProperty("rowCount").GetInt32());

        var page2 = await client.GetFromJsonAsync<JsonElement>($"{Datasets}/{id}/items?page=2&pageSize=50");
        Assert.Equal(Enumerable.Range(51, 50).Select(Key), Keys(page2));
        Assert.Equal(500, page2.GetProperty("total").GetInt32());
        Assert.Equal(2, page2.GetProperty("page").GetInt32());
        Assert.Equal(50, page2.GetProperty("pageSize").GetInt32());
        Assert.Equal(10, page2.GetProperty("pageCount").GetInt32());
        var row = page2.GetProperty("items")[49];
        Assert.Equal(99, row.GetProperty("position").GetInt32());
        Assert.Equal("siel", row.GetProperty("group").GetString());
        Assert.Equal(100, row.GetProperty("payload").GetProperty("level").GetInt32());
        foreach (var field in new[] { "lastStatus", "lastResult", "lastError", "lastBatchId", "lastProcessedAt" })
            Assert.Equal(JsonValueKind.Null, row.GetProperty(field).ValueKind);

        var defaults = await client.GetFromJsonAsync<JsonElement>($"{Datasets}/{id}/items");
        Assert.Equal(Enumerable.Range(1, 50).Select(Key), Keys(defaults));
        var grouped = await client.GetFromJsonAsync<JsonElement>($"{Datasets}/{id}/items?group=siel");
        Assert.Equal([Key(100), Key(200), Key(300), Key(400), Key(500)], Keys(grouped));
        var searched = await client.GetFromJsonAsync<JsonElement>($"{Datasets}/{id}/items?q=account-49&pageSize=5&page=2");
        Assert.Equal(10, searched.GetProperty("total").GetInt32());
        Assert.Equal([Key(495), Key(496), Key(497), Key(498), Key(499)], Keys(searched));
        var beyond = await client.GetFromJsonAsync<JsonElement>($"{Datasets}/{id}/items?page=11");
        Assert.Empty(Keys(beyond));
        var never = await client.GetFromJsonAsync<JsonElement>($"{Datasets}/{id}/items?status=never&pageSize=1");
        Assert.Equal(500, never.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Rows_are_appended_at_the_end_and_a_key_already_there_adds_nothing()
    {
        using var client = app.Admin();
        var id = await CreateAsync(client, "append", 3);

        var appended = await client.PostAsJsonAsync($"{Datasets}/{id}/items", new { items = new object[] { "late-1", new { key = "late-2", group = "g" } } });

        Assert.Equal(HttpStatusCode.OK, appended.StatusCode);
        Assert.Equal(5, (await appended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rowCount").GetInt32());
        var rows = await client.GetFromJsonAsync<JsonElement>($"{Datasets}/{id}/items");
        Assert.Equal([Key(1), Key(2), Key(3), "late-1", "late-2"], Keys(rows));

        var again = await client.PostAsJsonAsync($"{Datasets}/{id}/items", new { items = new[] { "late-3", Key(2) } });

        var problem = await again.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'account-002'", problem.GetProperty("errors").GetProperty("items")[0].GetString());
        Assert.Equal(5, (await client.GetFromJsonAsync<JsonElement>($"{Datasets}/{id}")).GetProperty("rowCount").GetInt32());
    }

    [Fact]
    public async Task A_dataset_is_renamed_and_deleted_and_then_is_gone()
    {
        using var client = app.Admin();
        var id = await CreateAsync(client, "to rename", 2);

        var renamed = await client.PatchAsJsonAsync($"{Datasets}/{id}", new { name = "renamed" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("renamed", (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{Datasets}/{id}")).StatusCode);

        await (await client.GetAsync($"{Datasets}/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"{Datasets}/{id}/items")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"{Datasets}/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.PatchAsJsonAsync($"{Datasets}/{id}", new { name = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsJsonAsync($"{Datasets}/{id}/items", new { items = new[] { "x" } })).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_dataset_a_batch_is_working_on_cannot_be_deleted()
    {
        using var client = app.Admin();
        var id = await CreateAsync(client, "busy", 2);
        var batch = await app.CreateBatchAsync(new { handler = "gate", source = new { datasetId = id } });
        await app.WaitForStatusAsync(batch.Id, "running");

        var refused = await client.DeleteAsync($"{Datasets}/{id}");

        var problem = await refused.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("cancel it first", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{Datasets}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/batches/{batch.Id}/cancel", null)).StatusCode);
        await app.WaitForStatusAsync(batch.Id, "cancelled");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{Datasets}/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_batch_over_page_2_takes_exactly_its_rows_and_a_later_run_takes_only_those_that_failed()
    {
        using var client = app.Admin();
        var id = await CreateAsync(client, "collect", 500);

        // Page 2 at 50 per page, a seeded share of failures.
        var first = await app.CreateBatchAsync(new
        {
            handler = "demo",
            source = new { datasetId = id, page = 2, pageSize = 50 },
            args = new { minMs = 0, maxMs = 0, failureRate = 0.3, seed = 7 },
            options = new { maxAttempts = 1, concurrency = 4 },
        });
        Assert.Equal(id, first.DatasetId);
        Assert.Equal(50, first.Total);
        Assert.Equal("collect · page 2 (rows 51–100)", first.Name);
        var items = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{first.Id}/items?limit=100");
        Assert.Equal(Enumerable.Range(51, 50).Select(Key), Keys(items));
        var done = await app.WaitForStatusAsync(first.Id, "completed");
        Assert.InRange(done.Failed, 1, 49);

        var page2 = await client.GetFromJsonAsync<JsonElement>($"{Datasets}/{id}/items?page=2");
        var rows = page2.GetProperty("items").EnumerateArray().ToList();
        Assert.All(rows, r => Assert.Equal(first.Id, r.GetProperty("lastBatchId").GetGuid()));
        Assert.All(rows, r => Assert.NotEqual(JsonValueKind.Null, r.GetProperty("lastProcessedAt").ValueKind));
        var failed = rows.Where(r => r.GetProperty("lastStatus").GetString() == "failed").Select(r => r.GetProperty("key").GetString()).ToList();
        Assert.Equal(done.Failed, failed.Count);
        Assert.All(rows.Where(r => r.GetProperty("lastStatus").GetString() == "succeeded"),
            r => Assert.Equal(r.GetProperty("key").GetString(), r.GetProperty("lastResult").GetProperty("key").GetString()));
        Assert.All(rows.Where(r => r.GetProperty("lastStatus").GetString() == "failed"),
            r => Assert.StartsWith("Simulated failure", r.GetProperty("lastError").GetString()));
        var page1 = await client.GetFromJsonAsync<JsonElement>($"{Datasets}/{id}/items?page=1");
        Assert.All(page1.GetProperty("items").EnumerateArray(), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("lastStatus").ValueKind));
        var counts = await client.GetFromJsonAsync<JsonElement>($"{Datasets}/{id}");
        Assert.Equal(450, counts.GetProperty("neverProcessed").GetInt32());
        Assert.Equal(done.Failed, counts.GetProperty("failed").GetInt32());

        // Later: only the rows of page 2 that failed.
        var retry = await app.CreateBatchAsync(new
        {
            handler = "demo",
            source = new { datasetId = id, page = 2, pageSize = 50, only = "pending" },
            args = new { minMs = 0, maxMs = 0, failureRate = 0 },
        });
        var retried = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{retry.Id}/items?limit=100");
        Assert.Equal(failed, Keys(retried));
        await app.WaitForStatusAsync(retry.Id, "completed");

        // Nothing is pending on page 2 any more: nothing to do, and nothing stored.
        var before = await app.CountStoredAsync();
        var nothing = await client.PostAsJsonAsync("/api/v1/batches", new
        {
            handler = "demo", source = new { datasetId = id, page = 2, pageSize = 50, only = "pending" },
        });
        var problem = await nothing.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["source"], problem.ErrorFields());
        Assert.Equal(before, await app.CountStoredAsync());

        // Selected keys, in dataset order whatever order they are sent in.
        var selected = await app.CreateBatchAsync(new
        {
            handler = "demo", source = new { datasetId = id, only = "selected", keys = new[] { Key(300), Key(3) } },
            args = new { minMs = 0, maxMs = 0, failureRate = 0 },
        });
        var picked = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{selected.Id}/items");
        Assert.Equal([Key(3), Key(300)], Keys(picked));
    }

    [Fact]
    public async Task The_datasets_api_and_the_source_of_a_batch_are_described_in_the_openapi_document()
    {
        var document = JsonDocument.Parse(await app.Viewer().GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths");
        var create = paths.GetProperty(Datasets).GetProperty("post");
        Assert.Equal(["201", "400", "401", "403", "404", "409", "413", "415"],
            create.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        var rows = paths.GetProperty($"{Datasets}/{{id}}/items");
        Assert.Equal(["group", "id", "page", "pageSize", "q", "status"],
            rows.GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order());
        Assert.True(rows.TryGetProperty("post", out _));
        Assert.Contains("409", paths.GetProperty($"{Datasets}/{{id}}").GetProperty("delete").GetProperty("responses").EnumerateObject().Select(r => r.Name));

        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var body in new[] { "CreateDatasetRequest", "AppendRowsRequest" })
            Assert.Equal(2, schemas.GetProperty(body).GetProperty("properties").GetProperty("items").GetProperty("items").GetProperty("oneOf").GetArrayLength());
        Assert.True(schemas.GetProperty("CreateBatchRequest").GetProperty("properties").TryGetProperty("source", out _));
        // The rows a source takes may be left out (null): the enum names the three words besides.
        Assert.Equal(["all", "pending", "selected"],
            schemas.GetProperty("SourceRows").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).OfType<string>());
        Assert.Contains("POST /api/v1/datasets", document.GetProperty("info").GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_name_another_dataset_has_is_a_409_with_the_message_under_name_and_nothing_is_stored()
    {
        using var client = app.Admin();
        var name = $"Accounts {Guid.NewGuid():N}";
        await CreateAsync(client, name, 2);
        var other = await CreateAsync(client, $"other {Guid.NewGuid():N}", 1);
        var before = (await client.GetFromJsonAsync<JsonElement>(Datasets)).GetArrayLength();

        var created = await client.PostAsJsonAsync(Datasets, new { name = $"  {name.ToUpperInvariant()} ", items = new[] { "x" } });
        var renamed = await client.PatchAsJsonAsync($"{Datasets}/{other}", new { name = name.ToLowerInvariant() });

        foreach (var response in new[] { created, renamed })
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal([$"A dataset called “{name}” already exists; choose another name."],
                problem.GetProperty("errors").GetProperty("name").EnumerateArray().Select(m => m.GetString()));
        }
        Assert.Equal(before, (await client.GetFromJsonAsync<JsonElement>(Datasets)).GetArrayLength());
        Assert.StartsWith("other ", (await client.GetFromJsonAsync<JsonElement>($"{Datasets}/{other}")).GetProperty("name").GetString());
    }

    private static async Task<Guid> CreateAsync(HttpClient client, string name, int rows)
    {
        var response = await client.PostAsJsonAsync(Datasets, new { name, items = Enumerable.Range(1, rows).Select(Key) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static List<string?> Keys(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("key").GetString()).ToList();
}
