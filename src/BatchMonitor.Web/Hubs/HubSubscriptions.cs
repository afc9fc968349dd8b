using System.Collections.Concurrent;

namespace BatchMonitor.Web.Hubs;

/// <summary>What each hub connection follows, so one that follows every batch is not also in a batch's group.</summary>
public sealed class HubSubscriptions
{
    private readonly ConcurrentDictionary<string, Following> _connections = new();

    /// <summary>Marks the connection as following everything; returns the batches it followed one by one before.</summary>
    public IReadOnlyList<Guid> FollowAll(string connectionId)
    {
        var following = _connections.GetOrAdd(connectionId, _ => new Following());
        lock (following)
        {
            following.All = true;
            var before = following.Batches.ToList();
            following.Batches.Clear();
            return before;
        }
    }

    /// <summary>True when the connection must join the batch's group (it does not follow everything already).</summary>
    public bool Follow(string connectionId, Guid batchId)
    {
        var following = _connections.GetOrAdd(connectionId, _ => new Following());
        lock (following)
        {
            if (following.All) return false;
            following.Batches.Add(batchId);
            return true;
        }
    }

    public void Unfollow(string connectionId, Guid batchId)
    {
        if (!_connections.TryGetValue(connectionId, out var following)) return;
        lock (following) following.Batches.Remove(batchId);
    }

    public void Forget(string connectionId) => _connections.TryRemove(connectionId, out _);

    private sealed class Following
    {
        public bool All { get; set; }
        public HashSet<Guid> Batches { get; } = [];
    }
}
