using System.Net;
using System.Text.Json;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>GET /api/v1/stats/history: finished items, durations and queue depth per step, for viewers, per handler or all.</summary>
public sealed class HistoryEndpointTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    [Fact]
    public async Task A_viewer_reads_the_finishes_of_the_last_hour_minute_by_minute_and_per_hour_over_24_hours()
    {
        var batch = await app.CreateBatchAsync(new { handler = "demo", items = new[] { "a", "b", "c", "d" },
            args = new { minMs = 1, maxMs = 5, failureRate = 0 }, options = new { concurrency = 2 } });
        await app.WaitForStatusAsync(batch.Id, "completed");

        var hour = await ReadAsync("/api/v1/stats/history?window=1h");
        Assert.Equal(["window", "step", "handler", "from", "to", "points"], hour.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("1h", "1m", JsonValueKind.Null), (hour.GetProperty("window").GetString(), hour.GetProperty("step").GetString(), hour.GetProperty("handler").ValueKind));
        var points = hour.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(60, points.Count);
        Assert.Equal(["at", "succeeded", "failed", "meanMs", "p95Ms", "queueDepth"], points[0].EnumerateObject().Select(p => p.Name));
        Assert.All(points, p => Assert.EndsWith(":00Z", p.GetProperty("at").GetString()));
        Assert.EndsWith("Z", hour.GetProperty("from").GetString());
        Assert.Equal(4, points.Sum(p => p.GetProperty("succeeded").GetInt32()));
        var busy = points.Where(p => p.GetProperty("succeeded").GetInt32() > 0).ToList();
        Assert.All(busy, p => Assert.Equal(JsonValueKind.Number, p.GetProperty("p95Ms").ValueKind));
        Assert.All(points.Except(busy), p => Assert.Equal(JsonValueKind.Null, p.GetProperty("meanMs").ValueKind));

        var day = await ReadAsync("/api/v1/stats/history?window=24h&step=1h&handler=demo");
        var hours = day.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal((24, "demo"), (hours.Count, day.GetProperty("handler").GetString()));
        Assert.All(hours, p => Assert.EndsWith(":00:00Z", p.GetProperty("at").GetString()));
        Assert.Equal(4, hours.Sum(p => p.GetProperty("succeeded").GetInt32()));

        var other = await ReadAsync("/api/v1/stats/history?window=7d&handler=gate");
        Assert.Equal(("2h", 84), (other.GetProperty("step").GetString(), other.GetProperty("points").GetArrayLength()));
        Assert.Equal(0, other.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("succeeded").GetInt32()));
    }

    [Fact]
    public async Task Without_credentials_it_is_401_and_a_bad_window_step_or_handler_is_a_field_error()
    {
        await (await app.Anonymous().GetAsync("/api/v1/stats/history")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var problem = await (await app.Viewer().GetAsync("/api/v1/stats/history?window=30d&handler=nobody")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["handler", "window"], problem.ErrorFields().Order());
        problem = await (await app.Viewer().GetAsync("/api/v1/stats/history?window=7d&step=1m")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("1h", problem.GetProperty("errors").GetProperty("step")[0].GetString());
    }

    private async Task<JsonElement> ReadAsync(string url)
    {
        using var response = await app.Viewer().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
