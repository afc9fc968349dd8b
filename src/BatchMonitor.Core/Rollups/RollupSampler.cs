using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Rollups;

/// <summary>
/// Once a minute (at start, then at each minute's start): writes each handler's queue depth for the minute (the pending
/// items of its queued, running and paused batches) into <c>throughput_minutes</c>, then removes the minutes older than
/// <see cref="Keep"/>, <see cref="PruneChunk"/> rows per statement so no delete holds the database for long. Every
/// node may run it: a sample sets the minute's depth (the same value twice is harmless) and a prune deletes what is old.
/// </summary>
public sealed class RollupSampler(
    IDbContextFactory<BatchMonitorDbContext> contexts,
    TimeProvider time,
    RollupEvents events,
    ILogger<RollupSampler> logger) : BackgroundService
{
    /// <summary>How long minutes are kept: the longest chart (7 days) and a day to spare.</summary>
    public static readonly TimeSpan Keep = TimeSpan.FromDays(8);

    public const int PruneChunk = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SampleAsync(stoppingToken);
                await PruneAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The rollup sampler could not sample the queue depth or prune old minutes; it tries again next minute.");
            }
            var now = time.GetUtcNow().UtcDateTime;
            try
            {
                await Task.Delay(Minutes.Floor(now).AddMinutes(1) - now, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The queue depth of every handler with active batches, for the current minute; returns the minute.</summary>
    public async Task<DateTime> SampleAsync(CancellationToken ct = default)
    {
        var minute = Minutes.Floor(time.GetUtcNow().UtcDateTime);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var depths = await db.Batches.AsNoTracking()
            .Where(b => b.Status == BatchStatus.Queued || b.Status == BatchStatus.Running || b.Status == BatchStatus.Paused)
            .GroupBy(b => b.Handler)
            .Select(g => new { Handler = g.Key, Pending = g.Sum(b => b.Pending) })
            .ToListAsync(ct);
        if (depths.Count > 0)
        {
            var connection = db.Database.GetDbConnection();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            foreach (var depth in depths)
                await db.Database.ExecuteSqlRawAsync(SampleSql, [SqlValues.Time(connection, minute), depth.Handler, depth.Pending], ct);
            await transaction.CommitAsync(ct);
        }
        events.PublishSampled(minute);
        return minute;
    }

    /// <summary>Removes the minutes older than <see cref="Keep"/>, a chunk at a time; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken ct = default)
    {
        var cutoff = Minutes.Floor(time.GetUtcNow().UtcDateTime - Keep);
        var removed = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var deleted = await db.ThroughputMinutes.Where(m => m.Minute < cutoff)
                .OrderBy(m => m.Minute).ThenBy(m => m.Handler).Take(PruneChunk).ExecuteDeleteAsync(ct);
            removed += deleted;
            if (deleted < PruneChunk) break;
        }
        if (removed > 0) logger.LogInformation("Removed {Count} rollup minute(s) older than {Cutoff:u}.", removed, cutoff);
        return removed;
    }

    private static readonly string SampleSql = BuildSampleSql();

    private static string BuildSampleSql()
    {
        var buckets = string.Join(", ", Enumerable.Range(0, DurationBuckets.Count).Select(b => $"bucket{b:00}"));
        var zeros = string.Join(", ", Enumerable.Repeat("0", DurationBuckets.Count));
        return $$"""
            INSERT INTO throughput_minutes (minute, handler, succeeded, failed, duration_ms_sum, queue_depth, {{buckets}})
            VALUES ({0}, {1}, 0, 0, 0, {2}, {{zeros}})
            ON CONFLICT (minute, handler) DO UPDATE SET queue_depth = excluded.queue_depth
            """;
    }
}
