using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Engine;

/// <summary>The hosted loop: start the engine, then tick whenever woken, a deadline comes, or a minute passes.</summary>
internal sealed class BatchWorker(BatchEngine engine, EngineSignals signals, TimeProvider time, ILogger<BatchWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await engine.StartAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = time.GetUtcNow().UtcDateTime + Heartbeat;
            try
            {
                if (await engine.TickAsync(stoppingToken) is { } due && due < next) next = due;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The engine's tick failed; it runs again shortly.");
                next = time.GetUtcNow().UtcDateTime.AddSeconds(5);
            }
            await signals.WaitAsync(next, time, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await engine.StopAsync();
    }
}
