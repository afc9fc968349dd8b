using System.Net;
using System.Net.Http.Json;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace BatchMonitor.Tests.Web;

/// <summary>
/// Every endpoint the app maps (read from its endpoint data source, so a new one cannot be forgotten) is asked by
/// an anonymous client, a viewer and an admin, each of whom must get the status written here. An API endpoint
/// missing from <see cref="Api"/> fails the test; pages follow their authorization attributes.
/// </summary>
public sealed class EndpointAccessTests(BatchMonitorApp app, ITestOutputHelper output) : IClassFixture<BatchMonitorApp>
{
    /// <summary>What each caller must get: anonymous, viewer, admin.</summary>
    private sealed record Expect(HttpStatusCode Anonymous, HttpStatusCode Viewer, HttpStatusCode Admin);

    /// <summary>A request to make: a fresh target per call where the call changes state.</summary>
    private sealed record Call(HttpMethod Method, Func<Task<string>> Path, Func<HttpContent?>? Body = null);

    private static readonly Expect Read = new(HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.OK);

    private static Expect Change(HttpStatusCode admin) => new(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, admin);

    private Dictionary<string, (Call Call, Expect Expect)> Api() => new()
    {
        ["POST /api/v1/batches/"] = (new(HttpMethod.Post, () => Task.FromResult("/api/v1/batches"),
            () => JsonContent.Create(new { handler = "demo", items = new[] { "a" } })), Change(HttpStatusCode.Accepted)),
        ["GET /api/v1/batches/"] = (Get("/api/v1/batches"), Read),
        ["GET /api/v1/batches/active"] = (Get("/api/v1/batches/active"), Read),
        ["GET /api/v1/batches/{id:guid}"] = (Get(async () => $"/api/v1/batches/{await FinishedAsync()}"), Read),
        ["GET /api/v1/batches/{id:guid}/items"] = (Get(async () => $"/api/v1/batches/{await FinishedAsync()}/items"), Read),
        ["GET /api/v1/batches/{id:guid}/logs"] = (Get(async () => $"/api/v1/batches/{await FinishedAsync()}/logs"), Read),
        ["GET /api/v1/batches/{id:guid}/logs/download"] = (Get(async () => $"/api/v1/batches/{await FinishedAsync()}/logs/download"), Read),
        ["GET /api/v1/batches/{id:guid}/results"] = (Get(async () => $"/api/v1/batches/{await FinishedAsync()}/results?format=csv"), Read),
        ["GET /api/v1/batches/{id:guid}/events"] = (Get(async () => $"/api/v1/batches/{await FinishedAsync()}/events"), Read),
        ["POST /api/v1/batches/{id:guid}/pause"] = (Post(async () => $"/api/v1/batches/{await RunningAsync()}/pause"), Change(HttpStatusCode.OK)),
        ["POST /api/v1/batches/{id:guid}/resume"] = (Post(async () => $"/api/v1/batches/{await PausedAsync()}/resume"), Change(HttpStatusCode.OK)),
        ["POST /api/v1/batches/{id:guid}/cancel"] = (Post(async () => $"/api/v1/batches/{await RunningAsync()}/cancel"), Change(HttpStatusCode.OK)),
        ["POST /api/v1/batches/{id:guid}/retry-failed"] = (Post(async () => $"/api/v1/batches/{await WithFailuresAsync()}/retry-failed"), Change(HttpStatusCode.OK)),
        ["GET /api/v1/batches/{id:guid}/items/{index:int}/attempts"] =
            (Get(async () => $"/api/v1/batches/{await FinishedAsync()}/items/0/attempts"), Read),
        ["POST /api/v1/batches/{id:guid}/items/{index:int}/retry"] =
            (Post(async () => $"/api/v1/batches/{await WithFailuresAsync()}/items/0/retry"), Change(HttpStatusCode.OK)),
        ["GET /api/v1/audit/"] = (Get("/api/v1/audit"), Change(HttpStatusCode.OK)),
        ["GET /api/v1/batches/{id:guid}/queue"] = (Get(async () => $"/api/v1/batches/{await FinishedAsync()}/queue"), Read),
        ["POST /api/v1/batches/{id:guid}/run-rest"] = (Post(async () => $"/api/v1/batches/{await CancelledAsync()}/run-rest"), Change(HttpStatusCode.Accepted)),
        ["POST /api/v1/batches/bulk"] = (Post(() => Task.FromResult("/api/v1/batches/bulk?action=cancel&q=matches-nothing-here")),
            Change(HttpStatusCode.OK)),
        ["POST /api/v1/batches/{id:guid}/clone"] = (Post(async () => $"/api/v1/batches/{await FinishedAsync()}/clone"), Change(HttpStatusCode.Accepted)),
        ["PATCH /api/v1/batches/{id:guid}/"] = (new(HttpMethod.Patch, async () => $"/api/v1/batches/{await RunningAsync()}",
            () => JsonContent.Create(new { priority = 7 })), Change(HttpStatusCode.OK)),
        ["DELETE /api/v1/batches/{id:guid}/"] = (new(HttpMethod.Delete, async () => $"/api/v1/batches/{await FinishedAsync(fresh: true)}"),
            Change(HttpStatusCode.NoContent)),
        ["POST /api/v1/datasets/"] = (new(HttpMethod.Post, () => Task.FromResult("/api/v1/datasets"),
            () => JsonContent.Create(new { name = $"made by the access test {Guid.NewGuid():N}", items = new[] { "a" } })), Change(HttpStatusCode.Created)),
        ["GET /api/v1/datasets/"] = (Get("/api/v1/datasets"), Read),
        ["GET /api/v1/datasets/{id:guid}"] = (Get(async () => $"/api/v1/datasets/{await DatasetAsync()}"), Read),
        ["GET /api/v1/datasets/{id:guid}/items"] = (Get(async () => $"/api/v1/datasets/{await DatasetAsync()}/items?page=1&pageSize=10"), Read),
        ["POST /api/v1/datasets/{id:guid}/items"] = (new(HttpMethod.Post, async () => $"/api/v1/datasets/{await DatasetAsync()}/items",
            () => JsonContent.Create(new { items = new[] { $"added-{Guid.NewGuid():N}" } })), Change(HttpStatusCode.OK)),
        ["PATCH /api/v1/datasets/{id:guid}"] = (new(HttpMethod.Patch, async () => $"/api/v1/datasets/{await DatasetAsync()}",
            () => JsonContent.Create(new { name = $"renamed by the access test {Guid.NewGuid():N}" })), Change(HttpStatusCode.OK)),
        ["DELETE /api/v1/datasets/{id:guid}"] = (new(HttpMethod.Delete, async () => $"/api/v1/datasets/{await DatasetAsync(fresh: true)}"),
            Change(HttpStatusCode.NoContent)),
        ["GET /api/v1/handlers"] = (Get("/api/v1/handlers"), Read),
        ["GET /api/v1/stats"] = (Get("/api/v1/stats?window=1h"), Read),
        ["GET /api/v1/stats/history"] = (Get("/api/v1/stats/history?window=24h&step=1h&handler=demo"), Read),
        ["GET /api/v1/nodes/"] = (Get("/api/v1/nodes"), Change(HttpStatusCode.OK)),
        ["GET /api/v1/retention/"] = (Get("/api/v1/retention"), Change(HttpStatusCode.OK)),
        // The values retention has by default (a finished batch of this app is never 30 days old).
        ["PUT /api/v1/retention/"] = (new(HttpMethod.Put, () => Task.FromResult("/api/v1/retention"),
            () => JsonContent.Create(new { finishedBatchDays = 30, scheduleRunsKept = 1000 })), Change(HttpStatusCode.OK)),
        ["POST /api/v1/retention/run"] = (Post(() => Task.FromResult("/api/v1/retention/run")), Change(HttpStatusCode.OK)),
        ["POST /api/v1/api-keys/"] = (new(HttpMethod.Post, () => Task.FromResult("/api/v1/api-keys"),
            () => JsonContent.Create(new { name = "made by the access test" })), Change(HttpStatusCode.Created)),
        ["GET /api/v1/api-keys/"] = (Get("/api/v1/api-keys"), Change(HttpStatusCode.OK)),
        ["DELETE /api/v1/api-keys/{id:guid}"] = (new(HttpMethod.Delete, async () => $"/api/v1/api-keys/{await NewKeyIdAsync()}"),
            Change(HttpStatusCode.NoContent)),
        ["POST /api/v1/users/"] = (new(HttpMethod.Post, () => Task.FromResult("/api/v1/users"),
            () => JsonContent.Create(new { email = $"access-{Guid.NewGuid():N}@test.local", password = "made-by-the-access-test-1", role = "viewer" })),
            Change(HttpStatusCode.Created)),
        ["GET /api/v1/users/"] = (Get("/api/v1/users"), Change(HttpStatusCode.OK)),
        ["GET /api/v1/users/{id:guid}"] = (Get(async () => $"/api/v1/users/{await NewUserIdAsync()}"), Change(HttpStatusCode.OK)),
        ["PATCH /api/v1/users/{id:guid}"] = (new(HttpMethod.Patch, async () => $"/api/v1/users/{await NewUserIdAsync()}",
            () => JsonContent.Create(new { disabled = true })), Change(HttpStatusCode.OK)),
        ["DELETE /api/v1/users/{id:guid}"] = (new(HttpMethod.Delete, async () => $"/api/v1/users/{await NewUserIdAsync()}"),
            Change(HttpStatusCode.NoContent)),
        ["POST /api/v1/schedules/"] = (new(HttpMethod.Post, () => Task.FromResult("/api/v1/schedules"),
            () => JsonContent.Create(HourlySchedule("made by the access test"))), Change(HttpStatusCode.Created)),
        ["GET /api/v1/schedules/"] = (Get("/api/v1/schedules"), Read),
        ["GET /api/v1/schedules/preview"] = (Get("/api/v1/schedules/preview?cron=0+*/10+*+*+*+%3F"), Read),
        ["GET /api/v1/schedules/{id:guid}"] = (Get(async () => $"/api/v1/schedules/{await ScheduleAsync()}"), Read),
        ["GET /api/v1/schedules/{id:guid}/runs"] = (Get(async () => $"/api/v1/schedules/{await ScheduleAsync()}/runs"), Read),
        ["PUT /api/v1/schedules/{id:guid}/"] = (new(HttpMethod.Put, async () => $"/api/v1/schedules/{await ScheduleAsync(fresh: true)}",
            () => JsonContent.Create(HourlySchedule("replaced by the access test"))), Change(HttpStatusCode.OK)),
        ["PATCH /api/v1/schedules/{id:guid}/"] = (new(HttpMethod.Patch, async () => $"/api/v1/schedules/{await ScheduleAsync(fresh: true)}",
            () => JsonContent.Create(new { enabled = false })), Change(HttpStatusCode.OK)),
        ["DELETE /api/v1/schedules/{id:guid}/"] = (new(HttpMethod.Delete, async () => $"/api/v1/schedules/{await ScheduleAsync(fresh: true)}"),
            Change(HttpStatusCode.NoContent)),
        ["POST /api/v1/schedules/{id:guid}/run"] = (Post(async () => $"/api/v1/schedules/{await ScheduleAsync(fresh: true)}/run"),
            Change(HttpStatusCode.Accepted)),
        ["GET /openapi/{documentName}.json"] = (Get("/openapi/v1.json"), Read),
        ["GET /healthz"] = (Get("/healthz"), new(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK)),
        // Prometheus text; admins only unless BatchMonitor:Metrics:Access says otherwise (MetricsEndpointTests).
        ["* /metrics"] = (Get("/metrics"), Change(HttpStatusCode.OK)),
        ["* /hubs/batches/negotiate"] = (new(HttpMethod.Post, () => Task.FromResult("/hubs/batches/negotiate?negotiateVersion=1")), Read),
        // Signed in, a plain GET (no WebSocket, no connection id) is a bad request to SignalR; anonymous, it never gets that far.
        ["* /hubs/batches"] = (Get("/hubs/batches"), new(HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)),
    };

    /// <summary>The framework's own endpoints for live pages: anonymous callers are sent to sign in, signed-in ones reach the framework.</summary>
    private Dictionary<string, (Call Call, Expect Expect)> Framework()
    {
        var toSignIn = HttpStatusCode.Redirect;
        return new()
        {
            ["* /_blazor/negotiate"] = (new(HttpMethod.Post, () => Task.FromResult("/_blazor/negotiate?negotiateVersion=1")),
                new(toSignIn, HttpStatusCode.OK, HttpStatusCode.OK)),
            ["* /_blazor"] = (Get("/_blazor"), new(toSignIn, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)),
            ["* /_blazor/disconnect/"] = (Post(() => Task.FromResult("/_blazor/disconnect/")),
                new(toSignIn, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)),
            ["* /_blazor/initializers/"] = (Get("/_blazor/initializers/"), new(toSignIn, HttpStatusCode.OK, HttpStatusCode.OK)),
            ["GET /_framework/opaque-redirect"] = (Get("/_framework/opaque-redirect"),
                new(toSignIn, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)),
            ["GET,HEAD {**path:file}"] = (Get("/no-such-file.txt"), new(toSignIn, HttpStatusCode.NotFound, HttpStatusCode.NotFound)),
        };
    }

    [Fact]
    public async Task Every_endpoint_gives_anonymous_viewer_and_admin_the_status_they_must_get()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var api = Api();
        var framework = Framework();
        var callers = await CallersAsync(pages: false);
        var pageCallers = await CallersAsync(pages: true);
        var failures = new List<string>();
        var checkedApi = new HashSet<string>();

        foreach (var endpoint in endpoints.DistinctBy(Key))
        {
            var key = Key(endpoint);
            var metadata = endpoint.Metadata;
            if (api.TryGetValue(key, out var entry))
            {
                await CheckAsync(key, entry.Call, entry.Expect, callers, failures);
                checkedApi.Add(key);
            }
            else if (framework.TryGetValue(key, out var fw))
                await CheckAsync(key, fw.Call, fw.Expect, pageCallers, failures);
            else if (metadata.GetMetadata<StaticAssetDescriptor>() is not null)
                await CheckAsync(key, Get("/" + endpoint.RoutePattern.RawText), new(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), pageCallers, failures);
            else if (metadata.GetMetadata<ComponentTypeMetadata>() is not null)
                await CheckAsync(key, Get(await PagePathAsync(endpoint)), ExpectForPage(endpoint), pageCallers, failures);
            else
                failures.Add($"{key}: not classified. Add it to EndpointAccessTests with the statuses anonymous, viewer and admin must get.");
        }

        foreach (var missing in api.Keys.Except(checkedApi)) failures.Add($"{missing}: in the table but not mapped by the app.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_api_refuses_a_viewer_signed_in_with_a_cookie_just_like_a_viewer_key()
    {
        var viewer = await app.SignedInAsync(BatchMonitorApp.ViewerEmail, BatchMonitorApp.ViewerPassword);
        var create = await viewer.PostAsJsonAsync("/api/v1/batches", new { handler = "demo", items = new[] { "a" } });
        await create.AssertProblemAsync(HttpStatusCode.Forbidden);
        var list = await viewer.GetAsync("/api/v1/batches");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    private static string Key(RouteEndpoint endpoint)
    {
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        return $"{(methods is null ? "*" : string.Join(",", methods))} {endpoint.RoutePattern.RawText}";
    }

    /// <summary>Sign-in pages have their own rules; admin pages refuse viewers; every other page needs any signed-in user.</summary>
    private static Expect ExpectForPage(RouteEndpoint endpoint)
    {
        var found = HttpStatusCode.OK;
        var toSignIn = HttpStatusCode.Redirect;
        switch (endpoint.RoutePattern.RawText)
        {
            case "/login": return new(found, HttpStatusCode.Redirect, HttpStatusCode.Redirect); // signed in: sent on
            case "/setup": return new(toSignIn, HttpStatusCode.NotFound, HttpStatusCode.NotFound); // gone once an admin exists
            case "/logout": return new(HttpStatusCode.Redirect, found, found);
        }
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            return new(found, found, found);
        var adminOnly = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Roles?.Contains("admin") == true);
        return adminOnly ? new(toSignIn, HttpStatusCode.Redirect, found) : new(toSignIn, found, found);
    }

    private async Task<string> PagePathAsync(RouteEndpoint endpoint)
    {
        var path = endpoint.RoutePattern.RawText!;
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            // A page about one dataset or schedule is about one that exists, as a batch page is about a batch.
            var isId = parameter.ParameterPolicies.Any(p => p.Content == "guid") || parameter.Name.EndsWith("id", StringComparison.OrdinalIgnoreCase);
            var value = path.StartsWith("/datasets/", StringComparison.Ordinal) ? (await DatasetAsync()).ToString()
                : !isId ? "1"
                : path.StartsWith("/schedules", StringComparison.Ordinal) ? (await ScheduleAsync()).ToString()
                : (await FinishedAsync()).ToString();
            path = System.Text.RegularExpressions.Regex.Replace(path, "\\{\\**" + parameter.Name + "[^}]*\\}", value);
        }
        return path;
    }

    private async Task CheckAsync(string key, Call call, Expect expect, (HttpClient Anonymous, HttpClient Viewer, HttpClient Admin) callers,
        List<string> failures)
    {
        // One target for the three callers: the refusals are about the caller, not about the state.
        var path = await call.Path();
        foreach (var (who, client, status) in new[] { ("anonymous", callers.Anonymous, expect.Anonymous), ("viewer", callers.Viewer, expect.Viewer), ("admin", callers.Admin, expect.Admin) })
        {
            using var request = new HttpRequestMessage(call.Method, path) { Content = call.Body?.Invoke() };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            output.WriteLine($"{key} as {who}: {(int)response.StatusCode}");
            if (response.StatusCode != status)
                failures.Add($"{key} ({call.Method} {path}) as {who}: expected {(int)status}, got {(int)response.StatusCode} {response.Headers.Location}");
            else if ((int)status >= 400 && path.StartsWith("/api", StringComparison.Ordinal)
                     && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{key} as {who}: {(int)status} is not problem+json");
            else if (status == HttpStatusCode.Redirect && who == "anonymous" && response.Headers.Location?.OriginalString.Contains("/login") != true)
                failures.Add($"{key} as anonymous: redirected to {response.Headers.Location}, not to /login");
        }
    }

    /// <summary>API clients use keys; page clients sign in with the form, as browsers do.</summary>
    private async Task<(HttpClient, HttpClient, HttpClient)> CallersAsync(bool pages) => pages
        ? (app.Anonymous(), await app.SignedInAsync(BatchMonitorApp.ViewerEmail, BatchMonitorApp.ViewerPassword),
            await app.SignedInAsync(BatchMonitorApp.AdminEmail, BatchMonitorApp.AdminPassword))
        : (app.Anonymous(), app.Viewer(), app.Admin());

    private static Call Get(string path) => new(HttpMethod.Get, () => Task.FromResult(path));

    private static Call Get(Func<Task<string>> path) => new(HttpMethod.Get, path);

    private static Call Post(Func<Task<string>> path) => new(HttpMethod.Post, path);

    private Guid? _finished;

    private async Task<Guid> FinishedAsync(bool fresh = false)
    {
        if (_finished is { } id && !fresh) return id;
        var batch = await app.CreateBatchAsync(new { handler = "demo", items = new[] { "a", "b" }, args = new { minMs = 0, maxMs = 0, failureRate = 0 } });
        await app.WaitForStatusAsync(batch.Id, "completed");
        if (!fresh) _finished = batch.Id;
        return batch.Id;
    }

    private Guid? _dataset;

    private async Task<Guid> DatasetAsync(bool fresh = false)
    {
        if (_dataset is { } id && !fresh) return id;
        var response = await app.Admin().PostAsJsonAsync("/api/v1/datasets", new { name = $"access {Guid.NewGuid():N}", items = new[] { "a", "b", "c" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        if (!fresh) _dataset = created;
        return created;
    }

    private async Task<Guid> RunningAsync()
    {
        var batch = await app.CreateBatchAsync(new { handler = "gate", items = new[] { "waits" } });
        await app.WaitForStatusAsync(batch.Id, "running");
        return batch.Id;
    }

    /// <summary>A batch cancelled while its one item waited: that item is the rest to run.</summary>
    private async Task<Guid> CancelledAsync()
    {
        var id = await RunningAsync();
        var cancelled = await app.Admin().PostAsync($"/api/v1/batches/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        await app.WaitForStatusAsync(id, "cancelled");
        return id;
    }

    private async Task<Guid> PausedAsync()
    {
        var id = await RunningAsync();
        var paused = await app.Admin().PostAsync($"/api/v1/batches/{id}/pause", null);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        return id;
    }

    private async Task<Guid> WithFailuresAsync()
    {
        var batch = await app.CreateBatchAsync(new
        {
            handler = "demo", items = new[] { "fails" }, args = new { minMs = 0, maxMs = 0, failureRate = 1 }, options = new { maxAttempts = 1 },
        });
        var done = await app.WaitForStatusAsync(batch.Id, "completed");
        Assert.Equal(1, done.Failed);
        return batch.Id;
    }

    /// <summary>A schedule that the clock never fires during the test (hourly); only "Run now" starts its quick demo batch.</summary>
    private static object HourlySchedule(string name) => new
    {
        name, intervalSeconds = 3600, batch = new { handler = "demo", items = new[] { "a" }, args = new { minMs = 0, maxMs = 0, failureRate = 0 } },
    };

    private Guid? _schedule;

    private async Task<Guid> ScheduleAsync(bool fresh = false)
    {
        if (_schedule is { } id && !fresh) return id;
        var response = await app.Admin().PostAsJsonAsync("/api/v1/schedules", HourlySchedule("for the access test"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        if (!fresh) _schedule = created;
        return created;
    }

    private async Task<string> NewUserIdAsync()
    {
        var response = await app.Admin().PostAsJsonAsync("/api/v1/users",
            new { email = $"access-{Guid.NewGuid():N}@test.local", password = "made-by-the-access-test-1", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<Guid> NewKeyIdAsync()
    {
        var response = await app.Admin().PostAsJsonAsync("/api/v1/api-keys", new { name = "to revoke" });
        var created = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return created.GetProperty("info").GetProperty("id").GetGuid();
    }
}
