using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Rollups;
using BatchMonitor.Core.Storage;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Rollups;

/// <summary>A window of rollups cut into steps: per handler or all, sums, mean, p95 from buckets, deepest queue.</summary>
public class HistoryReaderTests
{
    /// <summary>SQLite here, PostgreSQL in HistoryReaderTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task Per_hour_yesterday_sums_the_minutes_of_each_hour_for_the_handler_asked()
    {
        // Now: Monday 09:00:30 UTC; yesterday is Sunday.
        await using var h = await Store.HarnessAsync(start: false);
        h.Time.Advance(TimeSpan.FromSeconds(30));
        var sunday = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        await AddAsync(h,
            Row(sunday.AddHours(14).AddMinutes(1), "ranking", 10, 1, durationMs: 40, depth: 7),
            Row(sunday.AddHours(14).AddMinutes(59), "ranking", 5, 0, durationMs: 400, depth: 3),
            Row(sunday.AddHours(15), "ranking", 2, 2, durationMs: 40),
            Row(sunday.AddHours(14).AddMinutes(30), "demo", 100, 0, durationMs: 5, depth: 50));

        var view = await h.Services.GetRequiredService<HistoryReader>().ReadAsync(HistoryWindow.Week, "1h", "ranking");

        Assert.Equal((168, "7d", "1h", "ranking"), (view.Points.Count, view.Window, view.Step, view.Handler));
        Assert.Equal(new DateTime(2026, 3, 2, 10, 0, 0, DateTimeKind.Utc), view.To);
        Assert.Equal(view.To.AddDays(-7), view.From);
        var yesterday = view.Points.Where(p => p.At >= sunday && p.At < sunday.AddDays(1)).ToList();
        Assert.Equal(24, yesterday.Count);
        var two = yesterday.Single(p => p.At.Hour == 14);
        Assert.Equal((15, 1, 7), (two.Succeeded, two.Failed, two.QueueDepth));
        Assert.Equal(Math.Round((11 * 40 + 5 * 400) / 16.0, 1), two.MeanMs);
        Assert.Equal(460, two.P95Ms); // 16 items: the 95th percentile (15.2nd) is 4.2 of the 5 in the 250–500 ms bucket
        Assert.Equal((2, 2), (yesterday.Single(p => p.At.Hour == 15).Succeeded, yesterday.Single(p => p.At.Hour == 15).Failed));
        Assert.Equal(17, yesterday.Sum(p => p.Succeeded));
        Assert.All(yesterday.Where(p => p.At.Hour is not (14 or 15)), p => Assert.Equal((0, null, null), (p.Succeeded, p.MeanMs, p.P95Ms)));
    }

    [Fact]
    public async Task Every_handler_together_sums_their_minutes_and_their_queue_depths_and_the_last_point_is_the_current_step()
    {
        await using var h = await Store.HarnessAsync(start: false);
        h.Time.Advance(TimeSpan.FromMinutes(20)); // 09:20
        var now = h.Time.UtcNow;
        await AddAsync(h,
            Row(now, "ranking", 1, 0, durationMs: 40, depth: 7),
            Row(now, "demo", 2, 1, durationMs: 40, depth: 5),
            Row(now.AddMinutes(-16), "demo", 4, 0, durationMs: 40, depth: 1),
            Row(now.AddHours(-25), "demo", 9, 0, durationMs: 40));

        var view = await h.Services.GetRequiredService<HistoryReader>().ReadAsync(HistoryWindow.Day, "15m", null);

        Assert.Equal(96, view.Points.Count);
        Assert.All(view.Points, p => Assert.Equal(0, p.At.Minute % 15));
        Assert.Equal((new DateTime(2026, 3, 2, 9, 15, 0, DateTimeKind.Utc), 3, 1, 12), (view.Points[^1].At, view.Points[^1].Succeeded, view.Points[^1].Failed, view.Points[^1].QueueDepth));
        Assert.Equal((4, 1), (view.Points[^2].Succeeded, view.Points[^2].QueueDepth));
        Assert.Equal(7, view.Points.Sum(p => p.Succeeded));
    }

    internal static ThroughputMinute Row(DateTime minute, string handler, int succeeded, int failed, long durationMs, int? depth = null)
    {
        var row = new ThroughputMinute
        {
            Minute = minute, Handler = handler, Succeeded = succeeded, Failed = failed,
            DurationMsSum = durationMs * (succeeded + failed), QueueDepth = depth,
        };
        var n = succeeded + failed;
        switch (DurationBuckets.Of(durationMs))
        {
            case 0: row.Bucket00 = n; break;
            case 2: row.Bucket02 = n; break;
            case 5: row.Bucket05 = n; break;
            default: throw new ArgumentOutOfRangeException(nameof(durationMs));
        }
        return row;
    }

    internal static async Task AddAsync(EngineHarness h, params ThroughputMinute[] rows)
    {
        await using var db = await h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        db.ThroughputMinutes.AddRange(rows);
        await db.SaveChangesAsync();
    }
}
