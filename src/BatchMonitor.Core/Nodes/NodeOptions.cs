namespace BatchMonitor.Core.Nodes;

/// <summary><c>BatchMonitor:Node</c> settings: who this engine process is to the other nodes on the same database.</summary>
public sealed class NodeOptions
{
    /// <summary>The node's name, carried by the leases of the items it runs; unique among the live nodes. Default: host name and a short random suffix.</summary>
    public string? Name { get; set; }

    /// <summary>How often the node writes its heartbeat, renews its leases and looks for expired leases of other nodes.</summary>
    public double HeartbeatSeconds { get; set; } = 5;

    /// <summary>How long a claimed item's lease lasts unless renewed; a node not seen for this long is shown as gone and its items are taken back.</summary>
    public double LeaseSeconds { get; set; } = 30;

    public TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    /// <summary>Refuses settings a node cannot work with (a lease must outlast a few heartbeats).</summary>
    public void Validate()
    {
        if (!(HeartbeatSeconds > 0) || !(LeaseSeconds >= 2 * HeartbeatSeconds))
            throw new InvalidOperationException(
                "BatchMonitor:Node:HeartbeatSeconds must be above 0 and BatchMonitor:Node:LeaseSeconds at least twice as long.");
        if (Name is { Length: > 200 } || (Name is not null && string.IsNullOrWhiteSpace(Name)))
            throw new InvalidOperationException("BatchMonitor:Node:Name must be 1 to 200 characters.");
    }
}
