namespace BatchMonitor.Core.Domain;

/// <summary>
/// One engine process working on the database: written at start, its <see cref="LastSeenAt"/> moved by every
/// heartbeat, deleted when it stops gracefully. A row whose heartbeat stopped (the process died) stays, shown as gone.
/// </summary>
public sealed class Node
{
    private Node()
    {
        Name = Host = Version = "";
    }

    public Node(Guid id, string name, string host, string version, DateTime startedAt)
    {
        Id = id;
        Name = name;
        Host = host;
        Version = version;
        StartedAt = startedAt;
        LastSeenAt = startedAt;
    }

    public Guid Id { get; private set; }

    /// <summary>The name its leases carry (<c>batch_items.lease_node</c>); <c>BatchMonitor:Node:Name</c>.</summary>
    public string Name { get; private set; }

    public string Host { get; private set; }
    public string Version { get; private set; }
    public DateTime StartedAt { get; private set; }
    public DateTime LastSeenAt { get; private set; }
}
