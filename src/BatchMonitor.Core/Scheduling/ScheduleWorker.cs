using BatchMonitor.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Scheduling;

/// <summary>The hosted loop: handle every due schedule, then sleep until the next fire or a change.</summary>
internal sealed class ScheduleWorker(
    IDbContextFactory<BatchMonitorDbContext> contexts,
    ScheduleFirer firer,
    ScheduleSignals signals,
    TimeProvider time,
    ILogger<ScheduleWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = time.GetUtcNow().UtcDateTime + Heartbeat;
            try
            {
                var due = await TickAsync(stoppingToken);
                if (due is { } d && d < next) next = d;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The scheduler's tick failed; it runs again shortly.");
                next = time.GetUtcNow().UtcDateTime.AddSeconds(5);
            }
            await signals.WaitAsync(next, time, stoppingToken);
        }
    }

    /// <summary>Fires what is due; returns when the next fire is due.</summary>
    internal async Task<DateTime?> TickAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        List<Guid> due;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            due = await db.Schedules.Where(s => s.Enabled && s.NextRunAt != null && s.NextRunAt <= now)
                .OrderBy(s => s.NextRunAt).Select(s => s.Id).ToListAsync(ct);
        }
        var broken = false;
        foreach (var id in due)
        {
            try
            {
                await firer.FireDueAsync(id, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                broken = true;
                logger.LogError(e, "Schedule {ScheduleId} could not fire; trying again shortly.", id);
            }
        }
        await using var after = await contexts.CreateDbContextAsync(ct);
        var next = await after.Schedules.Where(s => s.Enabled && s.NextRunAt != null).MinAsync(s => s.NextRunAt, ct);
        // A schedule that cannot fire stays due: look again in a few seconds, not in a tight loop.
        return broken && next < now.AddSeconds(5) ? now.AddSeconds(5) : next;
    }
}
