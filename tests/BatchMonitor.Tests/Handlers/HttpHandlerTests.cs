using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Handlers.Http;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Handlers;

/// <summary>The http handler against a real local endpoint, run by the real engine.</summary>
public sealed class HttpHandlerTests : IAsyncLifetime
{
    private const long HugeBytes = 64L * 1024 * 1024;
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly TaskCompletionSource _clientLeftHuge = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LocalHttpServer _server = null!;

    /// <summary>The same server under another host name: localhost instead of 127.0.0.1.</summary>
    private string OtherHost => _server.BaseUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

    public async Task InitializeAsync() => _server = await LocalHttpServer.StartAsync(app =>
    {
        app.MapGet("/accounts/{key}", (string key, HttpRequest request) =>
        {
            _calls.AddOrUpdate(key, 1, (_, n) => n + 1);
            return Results.Json(new { data = new { key, followers = key.Length * 10, auth = request.Headers.Authorization.ToString() } });
        });
        app.MapGet("/flaky/{key}", (string key) =>
            _calls.AddOrUpdate(key, 1, (_, n) => n + 1) == 1 ? Results.StatusCode(500) : Results.Json(new { ok = true }));
        app.MapGet("/busy/{key}", () => Results.StatusCode(429));
        app.MapGet("/missing/{key}", () => Results.NotFound());
        app.MapGet("/slow/{key}", async (CancellationToken ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return Results.Ok();
        });
        app.MapGet("/same/{key}", (string key) => Results.Redirect($"/accounts/{key}"));
        app.MapGet("/loop/{key}", (string key) => Results.Redirect($"/loop/{key}"));
        app.MapGet("/elsewhere/{key}", (string key) => Results.Redirect($"{OtherHost}/accounts/{key}"));
        app.MapGet("/huge/{key}", async (HttpContext context, bool declared) =>
        {
            // 4 MiB (of 64 announced, or of an endless chunked body), then nothing more until the client leaves:
            // a client that reads to the end never gets there.
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)' ');
            if (declared) context.Response.ContentLength = HugeBytes;
            try
            {
                for (var i = 0; i < 64; i++) await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The client went away.
            }
            finally
            {
                _clientLeftHuge.TrySetResult();
            }
        });
        app.MapPost("/search", async (HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            return Results.Json(new { received = body, contentType = request.ContentType });
        });
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_success_keeps_status_latency_and_the_value_at_resultPath()
    {
        await using var h = await EngineHarness.CreateAsync();
        var batch = await CreateAsync(h, "/accounts/{key}", ["alice", "bob smith"], resultPath: "/data/followers",
            headers: new JsonObject { ["Authorization"] = "Bearer t0k3n" });

        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        Assert.Equal(2, done.Succeeded);
        var items = await h.ItemsAsync(batch.Id);
        Assert.Equal(200, items[0].Result!["status"]!.GetValue<int>());
        Assert.Equal(50, items[0].Result!["value"]!.GetValue<int>());
        Assert.Equal(90, items[1].Result!["value"]!.GetValue<int>());
        Assert.True(items[0].Result!["latencyMs"]!.GetValue<long>() >= 0);
        Assert.Equal(1, _calls["bob smith"]); // the space was escaped in the URL and arrived intact
    }

    [Fact]
    public async Task A_500_is_retried_and_the_retry_succeeds()
    {
        await using var h = await EngineHarness.CreateAsync();
        var batch = await CreateAsync(h, "/flaky/{key}", ["carol"], options: new OptionsInput { MaxAttempts = 3, RetryBaseDelayMs = 1000 });

        await Wait.UntilAsync(async () => (await h.ItemsAsync(batch.Id))[0] is { Status: ItemStatus.Pending, Attempts: 1 },
            "the first attempt to fail");
        Assert.Equal("HTTP 500 Internal Server Error", (await h.ItemsAsync(batch.Id))[0].Error);
        h.Time.Advance(1000);

        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        Assert.Equal(1, done.Succeeded);
        Assert.Equal(2, (await h.ItemsAsync(batch.Id))[0].Attempts);
    }

    [Fact]
    public async Task A_404_fails_at_once_and_a_429_is_retried()
    {
        await using var h = await EngineHarness.CreateAsync();
        var missing = await CreateAsync(h, "/missing/{key}", ["dave"], options: new OptionsInput { MaxAttempts = 3 });
        var busy = await CreateAsync(h, "/busy/{key}", ["erin"], options: new OptionsInput { MaxAttempts = 2, RetryBaseDelayMs = 0 });

        var missingDone = await h.WaitForStatusAsync(missing.Id, BatchStatus.Completed);
        var busyDone = await h.WaitForStatusAsync(busy.Id, BatchStatus.Completed);

        var missed = (await h.ItemsAsync(missing.Id))[0];
        Assert.Equal(1, missingDone.Failed);
        Assert.Equal(1, missed.Attempts);
        Assert.Equal("HTTP 404 Not Found", missed.Error);
        Assert.Equal(1, busyDone.Failed);
        Assert.Equal(2, (await h.ItemsAsync(busy.Id))[0].Attempts);
    }

    [Fact]
    public async Task A_request_without_an_answer_within_timeoutMs_fails_as_a_timeout()
    {
        await using var h = await EngineHarness.CreateAsync();
        var batch = await CreateAsync(h, "/slow/{key}", ["frank"], timeoutMs: 2000, options: new OptionsInput { MaxAttempts = 1 });
        await Wait.UntilAsync(async () => (await h.ItemsAsync(batch.Id))[0].Step?.StartsWith("GET") == true, "the request to start");

        h.Time.Advance(2000);

        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        Assert.Equal(1, done.Failed);
        Assert.Equal("No response within 2000 ms.", (await h.ItemsAsync(batch.Id))[0].Error);
    }

    [Fact]
    public async Task A_post_sends_the_body_template_with_the_key()
    {
        await using var h = await EngineHarness.CreateAsync();
        var result = await h.Batches.CreateAsync(new CreateBatchRequest
        {
            Handler = "http",
            Items = [new ItemInput("gina")],
            Args = new JsonObject
            {
                ["urlTemplate"] = _server.BaseUrl + "/search",
                ["method"] = "POST",
                ["body"] = "{\"q\":\"{key}\"}",
                ["resultPath"] = "/received",
            },
        }, Actor.Admin("test"));

        await h.WaitForStatusAsync(result.Batch!.Id, BatchStatus.Completed);
        Assert.Equal("{\"q\":\"gina\"}", (await h.ItemsAsync(result.Batch.Id))[0].Result!["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("ftp://example.com/{key}", "urlTemplate")]
    [InlineData("/relative/{key}", "urlTemplate")]
    [InlineData(null, "urlTemplate")]
    public async Task Bad_args_are_refused_with_a_message_per_field(string? url, string field)
    {
        await using var h = await EngineHarness.CreateAsync(start: false);
        var args = new JsonObject { ["resultPath"] = "data" };
        if (url is not null) args["urlTemplate"] = url;

        var result = await h.Batches.CreateAsync(new CreateBatchRequest { Handler = "http", Items = [new ItemInput("x")], Args = args }, Actor.Admin("t"));

        Assert.False(result.IsOk);
        Assert.NotEmpty(result.Errors!.For($"args.{field}"));
        if (url is not null) Assert.NotEmpty(result.Errors!.For("args.resultPath"));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("")]
    [InlineData("application/json charset=utf-8")]
    [InlineData("text/")]
    [InlineData("text/plain, text/html")]
    public async Task A_contentType_that_is_not_a_media_type_is_refused_when_the_batch_is_created(string contentType)
    {
        await using var h = await EngineHarness.CreateAsync(start: false);
        var args = new JsonObject { ["urlTemplate"] = _server.BaseUrl + "/search", ["method"] = "POST", ["contentType"] = contentType };

        var result = await h.Batches.CreateAsync(new CreateBatchRequest { Handler = "http", Items = [new ItemInput("x")], Args = args }, Actor.Admin("t"));

        Assert.False(result.IsOk);
        Assert.Contains("is not a content type", Assert.Single(result.Errors!.For("args.contentType")));
    }

    [Fact]
    public async Task A_contentType_with_parameters_is_sent_with_the_body()
    {
        await using var h = await EngineHarness.CreateAsync();
        var result = await h.Batches.CreateAsync(new CreateBatchRequest
        {
            Handler = "http",
            Items = [new ItemInput("hana")],
            Args = new JsonObject
            {
                ["urlTemplate"] = _server.BaseUrl + "/search", ["method"] = "POST", ["body"] = "q={key}",
                ["contentType"] = "text/plain; charset=utf-8", ["resultPath"] = "/contentType",
            },
        }, Actor.Admin("test"));

        Assert.True(result.IsOk, result.Errors?.ToString());
        await h.WaitForStatusAsync(result.Batch!.Id, BatchStatus.Completed);
        Assert.Equal("text/plain; charset=utf-8", (await h.ItemsAsync(result.Batch.Id))[0].Result!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_AllowLoopback_off_a_loopback_address_is_refused_at_creation_and_a_name_resolving_to_one_when_it_runs()
    {
        await using var h = await EngineHarness.CreateAsync(configure: s => s.AddSingleton(new HttpHandlerOptions { AllowLoopback = false }));

        var literal = await h.Batches.CreateAsync(new CreateBatchRequest
        {
            Handler = "http", Items = [new ItemInput("x")], Args = new JsonObject { ["urlTemplate"] = _server.BaseUrl + "/accounts/{key}" },
        }, Actor.Admin("t"));
        Assert.Contains("AllowLoopback is off", Assert.Single(literal.Errors!.For("args.urlTemplate")));

        var named = await h.CreateAsync(1, new OptionsInput { MaxAttempts = 3 }, "http",
            new JsonObject { ["urlTemplate"] = OtherHost + "/accounts/{key}" }, _ => new ItemInput("ivan"));
        var done = await h.WaitForStatusAsync(named.Id, BatchStatus.Completed);

        var item = (await h.ItemsAsync(named.Id))[0];
        Assert.Equal((1, 1), (done.Failed, item.Attempts)); // a refusal is final, not retried
        Assert.StartsWith("Refused: localhost resolves to a refused address:", item.Error);
        Assert.Contains("AllowLoopback is off", item.Error);
        Assert.False(_calls.ContainsKey("ivan"));
    }

    [Fact]
    public async Task A_redirect_to_another_host_is_not_followed()
    {
        await using var h = await EngineHarness.CreateAsync();
        var batch = await CreateAsync(h, "/elsewhere/{key}", ["judy"], resultPath: "/data/followers", options: new OptionsInput { MaxAttempts = 3 });

        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        var item = (await h.ItemsAsync(batch.Id))[0];
        Assert.Equal((1, 1), (done.Failed, item.Attempts));
        Assert.Equal($"HTTP 302 redirects to another host ({OtherHost}/accounts/judy); not followed " +
                     "(BatchMonitor:Http:AllowRedirectsToOtherHosts is off).", item.Error);
        Assert.False(_calls.ContainsKey("judy"));
    }

    [Fact]
    public async Task A_redirect_to_another_host_is_followed_without_the_headers_when_allowed()
    {
        await using var h = await EngineHarness.CreateAsync(configure: s => s.AddSingleton(new HttpHandlerOptions { AllowRedirectsToOtherHosts = true }));
        var batch = await CreateAsync(h, "/elsewhere/{key}", ["kim"], resultPath: "/data/auth",
            headers: new JsonObject { ["Authorization"] = "Bearer t0k3n" });

        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        Assert.Equal("", (await h.ItemsAsync(batch.Id))[0].Result!["value"]!.GetValue<string>());
        Assert.Equal(1, _calls["kim"]);
    }

    [Fact]
    public async Task A_redirect_to_the_same_host_is_followed_with_the_headers_and_a_redirect_loop_stops_after_MaxRedirects()
    {
        await using var h = await EngineHarness.CreateAsync();
        var same = await CreateAsync(h, "/same/{key}", ["leo"], resultPath: "/data/auth", headers: new JsonObject { ["Authorization"] = "Bearer t0k3n" });
        var loop = await CreateAsync(h, "/loop/{key}", ["mia"], options: new OptionsInput { MaxAttempts = 3 });

        await h.WaitForStatusAsync(same.Id, BatchStatus.Completed);
        await h.WaitForStatusAsync(loop.Id, BatchStatus.Completed);

        Assert.Equal("Bearer t0k3n", (await h.ItemsAsync(same.Id))[0].Result!["value"]!.GetValue<string>());
        var looped = (await h.ItemsAsync(loop.Id))[0];
        Assert.Equal((ItemStatus.Failed, 1), (looped.Status, looped.Attempts));
        Assert.Equal($"More than 5 redirects (the last to {_server.BaseUrl}/loop/mia).", looped.Error);
    }

    [Theory]
    [InlineData(false, "The response is more than the 65,536 bytes allowed (BatchMonitor:Http:MaxResponseBytes); the rest was not read.")]
    [InlineData(true, "The response is 67,108,864 bytes, more than the 65,536 allowed (BatchMonitor:Http:MaxResponseBytes); it was not read.")]
    public async Task A_response_over_MaxResponseBytes_fails_the_item_without_being_read_whole(bool declared, string error)
    {
        await using var h = await EngineHarness.CreateAsync(configure: s => s.AddSingleton(new HttpHandlerOptions { MaxResponseBytes = 64 * 1024 }));
        var batch = await CreateAsync(h, $"/huge/{{key}}?declared={declared}", ["nina"], resultPath: "/data",
            options: new OptionsInput { MaxAttempts = 3 });

        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        await Wait.ForAsync(_clientLeftHuge.Task, "the client to leave before the end of the response");

        var item = (await h.ItemsAsync(batch.Id))[0];
        Assert.Equal((1, 1), (done.Failed, item.Attempts));
        Assert.Equal(error, item.Error);
    }

    [Fact]
    public void Json_pointers_follow_rfc_6901()
    {
        var doc = JsonNode.Parse("""{"a/b":{"c~d":[10,20]},"x":null}""");
        Assert.True(JsonPointer.TryEvaluate(doc, "/a~1b/c~0d/1", out var found));
        Assert.Equal(20, found!.GetValue<int>());
        Assert.True(JsonPointer.TryEvaluate(doc, "/x", out var nothing));
        Assert.Null(nothing);
        Assert.False(JsonPointer.TryEvaluate(doc, "/a~1b/c~0d/2", out _));
        Assert.False(JsonPointer.IsValid("data"));
    }

    private async Task<BatchMonitor.Core.Views.BatchView> CreateAsync(EngineHarness h, string path, string[] keys,
        string? resultPath = null, JsonObject? headers = null, int? timeoutMs = null, OptionsInput? options = null)
    {
        var args = new JsonObject { ["urlTemplate"] = _server.BaseUrl + path };
        if (resultPath is not null) args["resultPath"] = resultPath;
        if (headers is not null) args["headers"] = headers;
        if (timeoutMs is not null) args["timeoutMs"] = timeoutMs;
        return await h.CreateAsync(keys.Length, options, handler: "http", args: args, item: i => new ItemInput(keys[i]));
    }
}
