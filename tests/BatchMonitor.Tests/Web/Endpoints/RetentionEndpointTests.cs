using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BatchMonitor.Core.Storage;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>
/// /api/v1/retention: admins read and change the settings (field errors for values out of bounds, nothing stored then)
/// and prune now; viewers are refused; the stats carry retention's totals for everyone.
/// </summary>
public sealed class RetentionEndpointTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    [Fact]
    public async Task Out_of_bounds_or_wrong_values_are_field_errors_and_store_nothing()
    {
        var before = await app.Admin().GetStringAsync("/api/v1/retention");
        foreach (var (body, field) in new (object Body, string Field)[]
                 {
                     (new { finishedBatchDays = -1, scheduleRunsKept = 10 }, "finishedBatchDays"),
                     (new { finishedBatchDays = 36_501, scheduleRunsKept = 10 }, "finishedBatchDays"),
                     (new { finishedBatchDays = 3, scheduleRunsKept = -5 }, "scheduleRunsKept"),
                     (new { finishedBatchDays = 3, scheduleRunsKept = 1_000_001 }, "scheduleRunsKept"),
                 })
        {
            var problem = await (await app.Admin().PutAsJsonAsync("/api/v1/retention", body)).AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal([field], problem.ErrorFields());
        }
        var wrongType = await (await app.Admin().PutAsync("/api/v1/retention",
            new StringContent("""{"finishedBatchDays":"a week"}""", Problems.Json))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("finishedBatchDays", wrongType.GetRawText());
        var tooBig = await (await app.Admin().PutAsync("/api/v1/retention",
            new StringContent("""{"scheduleRunsKept":1e12}""", Problems.Json))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("scheduleRunsKept", tooBig.GetRawText());
        var unknown = await (await app.Admin().PutAsync("/api/v1/retention",
            new StringContent("""{"finishedBatchDay":3}""", Problems.Json))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("finishedBatchDay", unknown.GetRawText());
        Assert.Equal(before, await app.Admin().GetStringAsync("/api/v1/retention"));
    }

    [Fact]
    public async Task Viewers_and_anonymous_callers_are_refused_every_call()
    {
        foreach (var client in new[] { app.Viewer(), app.Anonymous() })
        {
            var status = client.DefaultRequestHeaders.Contains("X-Api-Key") ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized;
            await (await client.GetAsync("/api/v1/retention")).AssertProblemAsync(status);
            await (await client.PutAsJsonAsync("/api/v1/retention", new { finishedBatchDays = 1 })).AssertProblemAsync(status);
            await (await client.PostAsync("/api/v1/retention/run", null)).AssertProblemAsync(status);
        }
        // The viewer reads the stats, with the totals.
        var stats = JsonDocument.Parse(await app.Viewer().GetStringAsync("/api/v1/stats")).RootElement;
        Assert.Equal(["batches", "items", "logLines", "attempts", "scheduleRuns", "lastRunAt"],
            stats.GetProperty("retention").EnumerateObject().Select(p => p.Name));
        Assert.True(stats.TryGetProperty("succeeded", out _));
    }

    [Fact]
    public async Task An_admin_stores_the_settings_prunes_now_and_the_stats_count_what_went()
    {
        var put = await app.Admin().PutAsJsonAsync("/api/v1/retention", new { finishedBatchDays = 2, scheduleRunsKept = (int?)null });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var view = JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("""{"value":2,"source":"database"}""", view.GetProperty("finishedBatchDays").GetRawText());
        Assert.Equal("""{"value":1000,"source":"default"}""", view.GetProperty("scheduleRunsKept").GetRawText());
        // The admin key's user (the bootstrap one) is who changed it.
        var changedBy = view.GetProperty("changedBy").GetString();
        Assert.False(string.IsNullOrEmpty(changedBy));
        Assert.EndsWith("Z", view.GetProperty("changedAt").GetString());

        // Every item fails its one attempt, so each leaves an attempt row (a success is kept in its item's own row).
        var batch = await app.CreateBatchAsync(new
        {
            handler = "demo", items = new[] { "a", "b", "c" }, args = new { minMs = 0, maxMs = 0, failureRate = 1 }, options = new { maxAttempts = 1 },
        });
        await app.WaitForStatusAsync(batch.Id, "completed");
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync())
            await db.Batches.Where(b => b.Id == batch.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.FinishedAt, DateTime.UtcNow.AddDays(-3)));
        var statsBefore = JsonDocument.Parse(await app.Viewer().GetStringAsync("/api/v1/stats")).RootElement.GetProperty("retention");

        var run = await app.Admin().PostAsync("/api/v1/retention/run", null);

        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        var report = JsonDocument.Parse(await run.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((1, 3), (report.GetProperty("batches").GetInt32(), report.GetProperty("items").GetInt32()));
        Assert.Equal(3, report.GetProperty("attempts").GetInt32());
        Assert.EndsWith("Z", report.GetProperty("at").GetString());
        await (await app.Admin().GetAsync($"/api/v1/batches/{batch.Id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var stats = JsonDocument.Parse(await app.Viewer().GetStringAsync("/api/v1/stats")).RootElement.GetProperty("retention");
        Assert.Equal(statsBefore.GetProperty("batches").GetInt64() + 1, stats.GetProperty("batches").GetInt64());
        Assert.Equal(statsBefore.GetProperty("items").GetInt64() + 3, stats.GetProperty("items").GetInt64());
        var get = JsonDocument.Parse(await app.Admin().GetStringAsync("/api/v1/retention")).RootElement;
        Assert.Equal(stats.GetProperty("lastRunAt").GetString(), get.GetProperty("lastRunAt").GetString());
        Assert.NotNull(get.GetProperty("nextRunAt").GetString());
        var audit = JsonDocument.Parse(await app.Admin().GetStringAsync("/api/v1/audit?subject=retention")).RootElement;
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "retention.changed"
            && e.GetProperty("actor").GetString() == changedBy);
    }
}
