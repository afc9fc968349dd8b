using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>Schedules through HTTP only, as a script would use them: create, read, change, switch off, run now, read the history, delete.</summary>
public class ScheduleApiTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    private const string Schedules = "/api/v1/schedules";

    /// <summary>Hourly, so the clock never fires it during a test: only "Run now" does.</summary>
    private static object Hourly(string name, string handler = "demo", object? items = null) => new
    {
        name,
        intervalSeconds = 3600,
        batch = new { handler, items = items ?? new[] { "a", "b" }, args = handler == "demo" ? new { minMs = 0, maxMs = 0, failureRate = 0 } : null },
    };

    [Fact]
    public async Task A_schedule_is_created_listed_read_replaced_switched_off_and_deleted()
    {
        using var client = app.Admin();
        var before = DateTime.UtcNow;

        var created = await client.PostAsJsonAsync(Schedules, new
        {
            name = "ranking",
            cron = "0 */10 * * * ?",
            timeZone = "Asia/Seoul",
            misfirePolicy = "runOnce",
            batch = new
            {
                handler = "demo",
                items = new object[] { new { key = "s1-char1", group = "server-1" }, new { key = "s2-char1", group = "server-2" } },
                options = new { maxAttempts = 3, retryBaseDelayMs = 60_000 },
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var schedule = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = schedule.GetProperty("id").GetGuid();
        Assert.Equal($"{Schedules}/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("runOnce", schedule.GetProperty("misfirePolicy").GetString());
        Assert.True(schedule.GetProperty("enabled").GetBoolean());
        Assert.Equal("bootstrap", schedule.GetProperty("createdBy").GetString());
        var next = schedule.GetProperty("nextRunAt").GetDateTime();
        Assert.True(next > before && next <= before.AddMinutes(10).AddSeconds(1), $"next run {next:O}");
        Assert.Equal(0, next.Minute % 10);
        Assert.Equal(60_000, schedule.GetProperty("batch").GetProperty("options").GetProperty("retryBaseDelayMs").GetInt32());

        var list = await client.GetFromJsonAsync<JsonElement>(Schedules);
        var listed = list.EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == id);
        Assert.Equal(next, listed.GetProperty("nextRunAt").GetDateTime());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("lastRunAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("lastBatchId").ValueKind);

        var replaced = await client.PutAsJsonAsync($"{Schedules}/{id}", new
        {
            name = "ranking (hourly)",
            intervalSeconds = 3600,
            batch = new { handler = "demo", items = new[] { "x" } },
        });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var after = await client.GetFromJsonAsync<JsonElement>($"{Schedules}/{id}");
        Assert.Equal("ranking (hourly)", after.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("cron").ValueKind);
        Assert.Equal(3600, after.GetProperty("intervalSeconds").GetInt32());
        Assert.Equal("UTC", after.GetProperty("timeZone").GetString());
        Assert.Equal("skip", after.GetProperty("misfirePolicy").GetString());
        Assert.True(after.GetProperty("nextRunAt").GetDateTime() > before.AddMinutes(59), "an hour from the change");

        var off = await client.PatchAsJsonAsync($"{Schedules}/{id}", new { enabled = false });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        var disabled = await off.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(disabled.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, disabled.GetProperty("nextRunAt").ValueKind);

        var on = await client.PatchAsJsonAsync($"{Schedules}/{id}", new { enabled = true });
        Assert.NotEqual(JsonValueKind.Null, (await on.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("nextRunAt").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{Schedules}/{id}")).StatusCode);
        await (await client.GetAsync($"{Schedules}/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"{Schedules}/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Run_now_starts_a_batch_and_a_second_one_while_it_runs_is_refused_and_recorded_as_skipped()
    {
        using var client = app.Admin();
        var created = await client.PostAsJsonAsync(Schedules, Hourly("held open", handler: "gate", items: new[] { "waits" }));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var run = await client.PostAsync($"{Schedules}/{id}/run", null);
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        var started = await run.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("started", started.GetProperty("outcome").GetString());
        Assert.True(started.GetProperty("manual").GetBoolean());
        var batchId = started.GetProperty("batchId").GetGuid();
        Assert.Equal($"/api/v1/batches/{batchId}", run.Headers.Location?.OriginalString);
        var batch = await app.WaitForStatusAsync(batchId, "running");
        Assert.Equal(id, batch.ScheduleId);

        var again = await client.PostAsync($"{Schedules}/{id}/run", null);
        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("Previous run still active", problem.GetProperty("detail").GetString());

        var history = await client.GetFromJsonAsync<JsonElement>($"{Schedules}/{id}/runs");
        Assert.Equal(2, history.GetProperty("total").GetInt32());
        Assert.Equal((1, 1), (history.GetProperty("started").GetInt32(), history.GetProperty("skipped").GetInt32()));
        var runs = history.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("skipped", runs[0].GetProperty("outcome").GetString());
        Assert.Contains("still active", runs[0].GetProperty("reason").GetString());
        Assert.Equal("started", runs[1].GetProperty("outcome").GetString());
        Assert.Equal(batchId, runs[1].GetProperty("batch").GetProperty("id").GetGuid());
        Assert.Equal("running", runs[1].GetProperty("batch").GetProperty("status").GetString());

        var schedule = await client.GetFromJsonAsync<JsonElement>($"{Schedules}/{id}");
        Assert.Equal(batchId, schedule.GetProperty("lastBatchId").GetGuid());
        Assert.Equal("running", schedule.GetProperty("lastBatchStatus").GetString());

        var page = await client.GetFromJsonAsync<JsonElement>($"{Schedules}/{id}/runs?limit=1&offset=1");
        Assert.Equal("started", page.GetProperty("items")[0].GetProperty("outcome").GetString());

        await client.PostAsync($"/api/v1/batches/{batchId}/cancel", null);
        await app.WaitForStatusAsync(batchId, "cancelled");
        var third = await client.PostAsync($"{Schedules}/{id}/run", null);
        Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
        var thirdBatch = (await third.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("batchId").GetGuid();
        await client.PostAsync($"/api/v1/batches/{thirdBatch}/cancel", null);
    }

    [Fact]
    public async Task An_invalid_cron_expression_is_refused_with_a_message_that_says_what_is_wrong_and_nothing_is_stored()
    {
        using var client = app.Admin();
        var count = (await client.GetFromJsonAsync<JsonElement>(Schedules)).GetArrayLength();

        var response = await client.PostAsJsonAsync(Schedules, new
        {
            name = "broken", cron = "every ten minutes", batch = new { handler = "demo", items = new[] { "a" } },
        });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var message = problem.GetProperty("errors").GetProperty("cron")[0].GetString();
        Assert.Contains("'every ten minutes' is not a valid cron expression", message);
        Assert.Contains("0 */10 * * * ?", message);
        Assert.Equal(count, (await client.GetFromJsonAsync<JsonElement>(Schedules)).GetArrayLength());
    }

    [Fact]
    public async Task Preview_gives_the_next_fires_in_utc_and_in_the_time_zone_or_what_is_wrong()
    {
        using var client = app.Viewer();

        var preview = await client.GetFromJsonAsync<JsonElement>(
            $"{Schedules}/preview?cron={Uri.EscapeDataString("0 0 9 * * ?")}&timeZone=Asia/Seoul&count=3");

        Assert.Equal("Asia/Seoul", preview.GetProperty("timeZone").GetString());
        var utc = preview.GetProperty("times").EnumerateArray().Select(t => t.GetDateTime()).ToList();
        var local = preview.GetProperty("localTimes").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToList();
        Assert.Equal(3, utc.Count);
        Assert.All(utc, t => Assert.Equal((0, 0), (t.Hour, t.Minute))); // 09:00 in Seoul (UTC+9) is midnight UTC
        Assert.All(local, t => Assert.Equal((9, TimeSpan.FromHours(9)), (t.Hour, t.Offset)));
        Assert.Equal(TimeSpan.FromDays(1), utc[1] - utc[0]);

        var every = await client.GetFromJsonAsync<JsonElement>($"{Schedules}/preview?intervalSeconds=90");
        var times = every.GetProperty("times").EnumerateArray().Select(t => t.GetDateTime()).ToList();
        Assert.Equal(5, times.Count);
        Assert.Equal(TimeSpan.FromSeconds(90), times[1] - times[0]);

        var bad = await client.GetAsync($"{Schedules}/preview?cron=61+*+*+*+*+%3F");
        var problem = await bad.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["cron"], problem.ErrorFields());
    }

    [Fact]
    public async Task A_viewer_reads_schedules_and_their_history_but_cannot_run_change_or_delete_them()
    {
        using var admin = app.Admin();
        var created = await admin.PostAsJsonAsync(Schedules, Hourly("viewer cannot touch"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var viewer = app.Viewer();

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"{Schedules}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"{Schedules}/{id}/runs")).StatusCode);
        await (await viewer.PostAsync($"{Schedules}/{id}/run", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.PatchAsJsonAsync($"{Schedules}/{id}", new { enabled = false })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.DeleteAsync($"{Schedules}/{id}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.PostAsJsonAsync(Schedules, Hourly("by a viewer"))).AssertProblemAsync(HttpStatusCode.Forbidden);

        var history = await admin.GetFromJsonAsync<JsonElement>($"{Schedules}/{id}/runs");
        Assert.Equal(0, history.GetProperty("total").GetInt32());
        Assert.True((await admin.GetFromJsonAsync<JsonElement>($"{Schedules}/{id}")).GetProperty("enabled").GetBoolean());
    }
}
