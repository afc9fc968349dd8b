using System.Net;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Web.Telemetry;

/// <summary>
/// GET /metrics: after a batch runs, Prometheus reads its finishes by handler and outcome. Admins only by default;
/// BatchMonitor:Metrics:Access = anonymous opens it, off removes it. Each app counts with a handler of its own name,
/// so apps of other tests running beside it in this process cannot change the counts read here.
/// </summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task After_a_batch_runs_an_admin_reads_its_finished_items_by_handler_and_outcome()
    {
        var handler = Probe();
        await using var app = await StartAsync(null, handler);
        var batch = await app.CreateBatchAsync(new { handler = handler.Name, items = new[] { "a", "b", "bad" }, options = new { maxAttempts = 1 } });
        await app.WaitForStatusAsync(batch.Id, "completed", "failed");

        string text = "";
        await Wait.UntilAsync(async () =>
        {
            var response = await app.Admin().GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            return Count(text, handler.Name, "succeeded") == 2 && Count(text, handler.Name, "failed") == 1;
        }, "the batch's finishes to be scraped");

        Assert.Contains("# TYPE batchmonitor_items_finished_total counter", text);
        Assert.Contains($"batchmonitor_item_duration_seconds_count{{", text);
        Assert.Contains("batchmonitor_batches_queued", text);
        Assert.Contains("batchmonitor_batches_running", text);
        Assert.Contains("batchmonitor_claim_duration_seconds_count", text);
        Assert.Null(Count(text, handler.Name, "cancelled"));
    }

    [Fact]
    public async Task By_default_an_admin_reads_it_a_viewer_is_refused_and_without_credentials_it_is_401()
    {
        await using var app = await StartAsync(null);
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().GetAsync("/metrics")).StatusCode);
        await (await app.Viewer().GetAsync("/metrics")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await app.Anonymous().GetAsync("/metrics")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task With_access_anonymous_it_needs_no_credentials()
    {
        await using var app = await StartAsync("anonymous");
        var response = await app.Anonymous().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task With_access_off_there_is_no_metrics_path()
    {
        await using var app = await StartAsync("off");
        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin().GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public void An_unknown_access_stops_the_start()
    {
        using var app = BatchMonitorApp.With(new Dictionary<string, string?> { ["BatchMonitor:Metrics:Access"] = "everyone" });
        var error = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains("BatchMonitor:Metrics:Access", error.ToString());
    }

    private static ScriptedHandler Probe() => new($"metrics-{Guid.NewGuid():N}"[..20])
    {
        Behaviour = (item, _) => item.Key == "bad"
            ? throw new ItemFailedException("bad item", retryable: false)
            : Task.FromResult<System.Text.Json.Nodes.JsonNode?>(null),
    };

    private static async Task<BatchMonitorApp> StartAsync(string? access, ScriptedHandler? handler = null)
    {
        var app = BatchMonitorApp.With(access is null ? null : new Dictionary<string, string?> { ["BatchMonitor:Metrics:Access"] = access },
            handler is null ? null : services => services.AddSingleton<IBatchHandler>(handler));
        await app.InitializeAsync();
        return app;
    }

    /// <summary>The value of <c>batchmonitor_items_finished_total</c> for one handler and outcome; null when there is no such line.</summary>
    private static long? Count(string text, string handler, string outcome)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("batchmonitor_items_finished_total{", StringComparison.Ordinal)
            && l.Contains($"handler=\"{handler}\"") && l.Contains($"outcome=\"{outcome}\""));
        return line is null ? null : long.Parse(line[(line.IndexOf("} ", StringComparison.Ordinal) + 2)..].Split(' ')[0]);
    }
}
