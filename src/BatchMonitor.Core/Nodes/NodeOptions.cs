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

    /// <summary>
    /// On PostgreSQL, how long this node gathers its committed changes before telling the other nodes (one
    /// <c>NOTIFY</c> per window at most); what a page on another node waits for at most, on top of the database's own delay.
    /// </summary>
    public double NoticeMilliseconds { get; set; } = 50;

    public TimeSpan NoticeWindow => TimeSpan.FromMilliseconds(NoticeMilliseconds);

    public TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    /// <summary>Refuses settings a node cannot work with (a lease must outlast a few heartbeats).</summary>
    public void Validate()
    {
        if (!(HeartbeatSeconds > 0) || !(LeaseSeconds >= 2 * HeartbeatSeconds))
            throw new InvalidOperationException(
                "BatchMonitor:Node:HeartbeatSeconds must be above 0 and BatchMonitor:Node:LeaseSeconds at least twice as long.");
        if (!(NoticeMilliseconds >= 1 && NoticeMilliseconds <= 5000))
            throw new InvalidOperationException("BatchMonitor:Node:NoticeMilliseconds must be between 1 and 5000.");
        if (Name is { Length: > 200 } || (Name is not null && string.IsNullOrWhiteSpace(Name)))
            throw new InvalidOperationException("BatchMonitor:Node:Name must be 1 to 200 characters.");
    }
}
