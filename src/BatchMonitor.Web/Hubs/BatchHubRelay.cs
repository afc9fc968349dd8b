using System.Threading.Channels;
using BatchMonitor.Core.Events;
using Microsoft.AspNetCore.SignalR;

namespace BatchMonitor.Web.Hubs;

/// <summary>
/// Forwards the engine's coalesced changes to the hub's groups: a batch's own group and the "all" group. The engine's
/// callback only queues the change (it must not block); one loop sends, in order, so a client never sees a batch's
/// events out of order. Sends go to groups, never to connections one by one, and carry the caps of <see cref="LiveMessages"/>.
/// </summary>
public sealed class BatchHubRelay(BatchEvents events, IHubContext<BatchHub> hub, ILogger<BatchHubRelay> logger) : BackgroundService
{
    private readonly Channel<BatchChange> _changes = Channel.CreateUnbounded<BatchChange>(new UnboundedChannelOptions { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = events.SubscribeAll(change =>
        {
            _changes.Writer.TryWrite(change);
            return Task.CompletedTask;
        });
        try
        {
            await foreach (var change in _changes.Reader.ReadAllAsync(stoppingToken))
            {
                var batchGroup = hub.Clients.Group(BatchHub.GroupOf(change.BatchId));
                var allGroup = hub.Clients.Group(BatchHub.AllGroup);
                foreach (var message in LiveMessages.From(change))
                {
                    try
                    {
                        await batchGroup.SendAsync(message.Name, message.Payload, stoppingToken);
                        await allGroup.SendAsync(message.Name, message.Payload, stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        logger.LogWarning(e, "Could not send {Event} of batch {BatchId} to the hub", message.Name, change.BatchId);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
