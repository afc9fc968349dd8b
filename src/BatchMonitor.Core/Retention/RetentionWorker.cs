using BatchMonitor.Core.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Retention;

/// <summary>
/// The hosted loop: sleep until the next turn is due (kept in the database, so a restart or another node keeps the
/// same rhythm), run it, and sleep again. Another node's turn in progress is waited out.
/// </summary>
internal sealed class RetentionWorker(RetentionPruner pruner, RetentionOptions options, TimeProvider time, ILogger<RetentionWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var next = await pruner.NextRunAsync(stoppingToken);
                wait = TimerDelay.Until(next, time);
                if (wait == TimeSpan.Zero)
                {
                    var report = await pruner.RunAsync(stoppingToken);
                    wait = report.Ran ? TimeSpan.Zero : Shorter(options.Lease, options.Interval);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "A retention turn failed; it runs again in a minute.");
                wait = TimeSpan.FromMinutes(1);
            }
            if (wait == TimeSpan.Zero) continue;
            try
            {
                // Never longer than an interval: a turn moved earlier by another node is found at the latest then.
                await Task.Delay(Shorter(wait, options.Interval), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static TimeSpan Shorter(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
