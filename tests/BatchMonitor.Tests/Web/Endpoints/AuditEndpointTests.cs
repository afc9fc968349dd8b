using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BatchMonitor.Core.Audit;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>GET /api/v1/audit: every kind of change is recorded with who, when and from which address; admins only.</summary>
public class AuditEndpointTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    private const string Address = "198.51.100.23";

    /// <summary>The admin's key, sent from <see cref="Address"/>.</summary>
    private HttpClient Admin()
    {
        var client = app.From(Address);
        client.DefaultRequestHeaders.Add("X-Api-Key", BatchMonitorApp.AdminKey);
        return client;
    }

    private async Task<List<JsonElement>> EntriesAsync(string query)
    {
        var list = JsonDocument.Parse(await app.Admin().GetStringAsync($"/api/v1/audit?limit=500&{query}")).RootElement;
        return [.. list.GetProperty("items").EnumerateArray()];
    }

    private static async Task<Guid> IdOf(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
    }

    private static async Task Ok(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");

    private async Task<Guid> BatchAsync(object args, object? options = null) =>
        await IdOf(await Admin().PostAsJsonAsync("/api/v1/batches", new { handler = "demo", items = new[] { "a", "b" }, args, options }));

    [Fact]
    public async Task Every_kind_of_change_is_recorded_with_the_actor_and_the_address_it_came_from()
    {
        var expected = new List<(string Action, string Subject)>();
        var admin = Admin();

        // Batches: a slow one to steer, a failing one to retry, a quick one to clone and delete.
        var slow = await BatchAsync(new { minMs = 60_000, maxMs = 60_000, failureRate = 0 });
        await app.WaitForStatusAsync(slow, "running");
        await Ok(await admin.PostAsync($"/api/v1/batches/{slow}/pause", null));
        await Ok(await admin.PostAsync($"/api/v1/batches/{slow}/resume", null));
        await Ok(await admin.PatchAsJsonAsync($"/api/v1/batches/{slow}", new { priority = 3 }));
        await Ok(await admin.PostAsync($"/api/v1/batches/{slow}/cancel", null));
        var s = AuditSubjects.Batch(slow);
        expected.AddRange([(AuditActions.BatchCreated, s), (AuditActions.BatchPaused, s), (AuditActions.BatchResumed, s),
            (AuditActions.BatchReprioritised, s), (AuditActions.BatchCancelled, s)]);

        var failing = await BatchAsync(new { minMs = 0, maxMs = 0, failureRate = 1 }, new { maxAttempts = 1 });
        await app.WaitForStatusAsync(failing, "completed");
        await Ok(await admin.PostAsync($"/api/v1/batches/{failing}/items/0/retry", null));
        await app.WaitForStatusAsync(failing, "completed");
        await Ok(await admin.PostAsync($"/api/v1/batches/{failing}/retry-failed", null));
        expected.AddRange([(AuditActions.ItemRetried, AuditSubjects.Batch(failing)), (AuditActions.BatchRetried, AuditSubjects.Batch(failing))]);

        var quick = await BatchAsync(new { minMs = 0, maxMs = 0, failureRate = 0 });
        await app.WaitForStatusAsync(quick, "completed");
        var clone = await IdOf(await admin.PostAsync($"/api/v1/batches/{quick}/clone", null));
        await app.WaitForStatusAsync(clone, "completed");
        await Ok(await admin.DeleteAsync($"/api/v1/batches/{clone}"));
        expected.AddRange([(AuditActions.BatchCloned, AuditSubjects.Batch(clone)), (AuditActions.BatchDeleted, AuditSubjects.Batch(clone))]);

        // A schedule and a dataset through their whole life.
        var schedule = await IdOf(await admin.PostAsJsonAsync("/api/v1/schedules", new
        {
            name = $"audited {Guid.NewGuid():N}", intervalSeconds = 3600,
            batch = new { handler = "demo", items = new[] { "a" }, args = new { minMs = 0, maxMs = 0, failureRate = 0 } },
        }));
        await Ok(await admin.PatchAsJsonAsync($"/api/v1/schedules/{schedule}", new { enabled = false }));
        await Ok(await admin.PostAsync($"/api/v1/schedules/{schedule}/run", null));
        await Ok(await admin.DeleteAsync($"/api/v1/schedules/{schedule}"));
        var sc = AuditSubjects.Schedule(schedule);
        expected.AddRange([(AuditActions.ScheduleCreated, sc), (AuditActions.ScheduleUpdated, sc), (AuditActions.ScheduleRun, sc),
            (AuditActions.ScheduleDeleted, sc)]);

        var dataset = await IdOf(await admin.PostAsJsonAsync("/api/v1/datasets", new { name = $"audited {Guid.NewGuid():N}", items = new[] { "a" } }));
        await Ok(await admin.PatchAsJsonAsync($"/api/v1/datasets/{dataset}", new { name = $"renamed {Guid.NewGuid():N}" }));
        await Ok(await admin.DeleteAsync($"/api/v1/datasets/{dataset}"));
        var d = AuditSubjects.Dataset(dataset);
        expected.AddRange([(AuditActions.DatasetCreated, d), (AuditActions.DatasetUpdated, d), (AuditActions.DatasetDeleted, d)]);

        // Keys and users (the auth store).
        var key = JsonDocument.Parse(await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "audited key" })).Content.ReadAsStringAsync())
            .RootElement.GetProperty("info").GetProperty("id").GetGuid();
        await Ok(await admin.DeleteAsync($"/api/v1/api-keys/{key}"));
        expected.AddRange([(AuditActions.ApiKeyCreated, AuditSubjects.ApiKey(key)), (AuditActions.ApiKeyRevoked, AuditSubjects.ApiKey(key))]);

        var email = $"audited-{Guid.NewGuid():N}@test.local";
        var user = JsonDocument.Parse(await (await admin.PostAsJsonAsync("/api/v1/users", new { email, password = "audited-password-1", role = "viewer" }))
            .Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        await Ok(await admin.PatchAsJsonAsync($"/api/v1/users/{user}", new { role = "admin" }));
        await Ok(await admin.DeleteAsync($"/api/v1/users/{user}"));
        var u = AuditSubjects.User(email);
        expected.AddRange([(AuditActions.UserCreated, u), (AuditActions.UserUpdated, u), (AuditActions.UserDeleted, u)]);

        var entries = await EntriesAsync($"actor={Uri.EscapeDataString("bootstrap")}");
        foreach (var (action, subject) in expected)
        {
            var entry = entries.FirstOrDefault(e => e.GetProperty("action").GetString() == action && e.GetProperty("subject").GetString() == subject);
            Assert.True(entry.ValueKind == JsonValueKind.Object, $"no {action} of {subject}");
            Assert.Equal(Address, entry.GetProperty("address").GetString());
            Assert.EndsWith("Z", entry.GetProperty("at").GetString());
        }
        Assert.Equal(["at", "actor", "address", "action", "subject", "detail"], entries[0].EnumerateObject().Select(p => p.Name));

        // The batch's own entries, newest first.
        Assert.Equal([AuditActions.BatchCancelled, AuditActions.BatchReprioritised, AuditActions.BatchResumed, AuditActions.BatchPaused,
            AuditActions.BatchCreated], (await EntriesAsync($"subject={s}")).Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Signing_in_and_failing_to_are_recorded_with_the_address()
    {
        var browser = app.From("192.0.2.44");
        Assert.Equal(HttpStatusCode.OK, (await BatchMonitorApp.PostLoginAsync(browser, BatchMonitorApp.ViewerEmail, "not the password")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await BatchMonitorApp.PostLoginAsync(browser, BatchMonitorApp.ViewerEmail, BatchMonitorApp.ViewerPassword)).StatusCode);

        var entries = await EntriesAsync($"subject={Uri.EscapeDataString(AuditSubjects.User(BatchMonitorApp.ViewerEmail))}");
        var signIns = entries.Where(e => e.GetProperty("address").GetString() == "192.0.2.44").Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal([AuditActions.SignedIn, AuditActions.SignInFailed], signIns.Take(2));
        Assert.All(entries.Take(2), e => Assert.Equal(BatchMonitorApp.ViewerEmail, e.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task A_refused_change_writes_no_entry()
    {
        var quick = await BatchAsync(new { minMs = 0, maxMs = 0, failureRate = 0 });
        await app.WaitForStatusAsync(quick, "completed");
        var before = await EntriesAsync($"subject=batch:{quick}");

        await (await app.Viewer().PostAsync($"/api/v1/batches/{quick}/cancel", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await Admin().PostAsync($"/api/v1/batches/{quick}/pause", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await Admin().PostAsync($"/api/v1/batches/{quick}/items/0/retry", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await Admin().PostAsync($"/api/v1/batches/{quick}/retry-failed", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await Admin().PatchAsJsonAsync($"/api/v1/batches/{quick}", new { priority = 2 })).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(before.Count, (await EntriesAsync($"subject=batch:{quick}")).Count);
        var datasets = (await EntriesAsync("subject=dataset")).Count;
        await (await Admin().PostAsJsonAsync("/api/v1/datasets", new { name = "", items = new[] { "a" } })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(datasets, (await EntriesAsync("subject=dataset")).Count);
    }

    [Fact]
    public async Task Only_admins_read_the_audit_and_bad_paging_is_a_field_error()
    {
        await (await app.Anonymous().GetAsync("/api/v1/audit")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await app.Viewer().GetAsync("/api/v1/audit")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var problem = await (await app.Admin().GetAsync("/api/v1/audit?limit=0&offset=-1")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["limit", "offset"], problem.ErrorFields().Order());
        var list = JsonDocument.Parse(await app.Admin().GetStringAsync("/api/v1/audit?limit=2")).RootElement;
        Assert.Equal(["items", "total", "limit", "offset"], list.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, list.GetProperty("limit").GetInt32());
    }
}
