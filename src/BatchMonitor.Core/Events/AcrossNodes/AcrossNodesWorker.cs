using Microsoft.Extensions.Hosting;

namespace BatchMonitor.Core.Events.AcrossNodes;

/// <summary>
/// On PostgreSQL, where several nodes share the database: starts the relay that tells the other nodes what this one
/// commits, and listens for what they commit. Registered before the engine, so the relay hears the engine's first
/// change; stopped after it, so the engine's last changes still go out.
/// </summary>
internal sealed class AcrossNodesWorker(ChangeRelay relay, ChangeReceiver receiver, PostgresNotifications channel) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        relay.Start();
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        channel.ListenAsync(payload => receiver.ReceiveAsync(payload, stoppingToken), () => receiver.CatchUpAsync(stoppingToken), stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await relay.DisposeAsync();
    }
}
