using BatchMonitor.Core.Services;
using BatchMonitor.Core.Views;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BatchMonitor.Web.Hubs;

/// <summary>
/// <c>/hubs/batches</c>: live events for scripts and other services (the pages get the same events in-process).
/// <c>SubscribeAll()</c> follows every batch; <c>Subscribe(batchId)</c> follows one and answers with its current
/// state (subscribed first, read second: nothing in between is missed); <c>Unsubscribe(batchId)</c> stops.
/// A connection that follows every batch gets each event once, even if it also subscribed to one.
/// </summary>
[Authorize]
public sealed class BatchHub(BatchService batches, HubSubscriptions subscriptions) : Hub
{
    public const string Path = "/hubs/batches";

    public static string GroupOf(Guid batchId) => $"batch:{batchId}";

    public const string AllGroup = "all";

    public async Task SubscribeAll()
    {
        var followed = subscriptions.FollowAll(Context.ConnectionId);
        await Groups.AddToGroupAsync(Context.ConnectionId, AllGroup, Context.ConnectionAborted);
        foreach (var id in followed) await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(id), Context.ConnectionAborted);
    }

    public async Task<BatchView> Subscribe(Guid batchId)
    {
        if (subscriptions.Follow(Context.ConnectionId, batchId))
            await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(batchId), Context.ConnectionAborted);
        var batch = await batches.GetAsync(batchId, Context.ConnectionAborted);
        if (batch is not null) return batch;
        await Unsubscribe(batchId);
        throw new HubException($"No batch has the id {batchId}.");
    }

    public async Task Unsubscribe(Guid batchId)
    {
        subscriptions.Unfollow(Context.ConnectionId, batchId);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(batchId), Context.ConnectionAborted);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.Forget(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
