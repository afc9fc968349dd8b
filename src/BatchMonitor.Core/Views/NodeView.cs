namespace BatchMonitor.Core.Views;

/// <summary>Whether a node's heartbeat is current (<c>up</c>) or older than the lease time (<c>gone</c>: its items are taken back).</summary>
public enum NodeStatus
{
    Up,
    Gone,
}

/// <summary>A batch a node works on now, and how many of its items the node runs.</summary>
public sealed record NodeBatchView(Guid BatchId, string Name, int Running);

/// <summary><c>GET /api/v1/nodes</c>: a node, its heartbeat, and what it runs now.</summary>
public sealed record NodeView(Guid Id, string Name, string Host, string Version, DateTime StartedAt, DateTime LastSeenAt,
    NodeStatus Status, int Running, IReadOnlyList<NodeBatchView> Batches);

/// <summary>A node that runs items of a batch now, and how many.</summary>
public sealed record NodeRunningView(string Node, int Running);

/// <summary>The nodes working on one batch now, and how many nodes are up on the database.</summary>
public sealed record BatchNodesView(int NodesUp, IReadOnlyList<NodeRunningView> Nodes);
