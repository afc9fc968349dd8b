using System.Collections.Concurrent;
using System.Net.Http.Json;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Endpoints;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>A batch's event stream stays open through quiet stretches: a proxy sees a comment every 15 s of the clock.</summary>
public sealed class EventStreamHeartbeatTests
{
    [Fact]
    public async Task A_quiet_stream_sends_a_heartbeat_comment_each_time_fifteen_seconds_pass_without_events()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = BatchMonitorApp.With(null, services => services.AddSingleton<TimeProvider>(clock));
        await app.InitializeAsync();
        using var client = app.Admin();
        // The gate handler's item waits for the test, so the batch stays unfinished and its stream stays open.
        var created = await client.PostAsJsonAsync("/api/v1/batches", new { handler = "gate", items = new[] { "only" } });
        created.EnsureSuccessStatusCode();

        using var response = await client.GetAsync($"{created.Headers.Location}/events", HttpCompletionOption.ResponseHeadersRead);
        var lines = new ConcurrentQueue<string>();
        var reading = Task.Run(async () =>
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line) lines.Enqueue(line);
        });
        await Wait.UntilAsync(() => lines.Contains("event: batchChanged"), "the current state");
        Assert.DoesNotContain(": heartbeat", lines);

        await UntilHeartbeatsAsync(clock, lines, 1);
        await UntilHeartbeatsAsync(clock, lines, 2);

        Assert.Equal("event: batchChanged", lines.First());
        Assert.False(reading.IsCompleted, "The stream ended while the batch was still running.");
    }

    /// <summary>Moves the clock a heartbeat at a time (the stream's wait may start just after a move) until the count is reached.</summary>
    private static Task UntilHeartbeatsAsync(FakeTimeProvider clock, ConcurrentQueue<string> lines, int count)
    {
        var moved = System.Diagnostics.Stopwatch.StartNew();
        clock.Advance(BatchEventStreamEndpoints.Heartbeat);
        return Wait.UntilAsync(() =>
        {
            if (lines.Count(l => l == ": heartbeat") >= count) return true;
            if (moved.ElapsedMilliseconds > 200)
            {
                clock.Advance(BatchEventStreamEndpoints.Heartbeat);
                moved.Restart();
            }
            return false;
        }, $"heartbeat {count}");
    }
}
