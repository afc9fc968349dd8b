using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Nodes;

/// <summary>The nodes working on this database, read for <c>GET /api/v1/nodes</c>: each with its heartbeat and what it runs now.</summary>
public sealed class NodeService(IDbContextFactory<BatchMonitorDbContext> contexts, NodeOptions options, TimeProvider time)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>Nodes by name (then start); a node not seen for the lease time is <see cref="NodeStatus.Gone"/>.</summary>
    public async Task<Page<NodeView>> ListAsync(int limit = DefaultLimit, int offset = 0, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var total = await db.Nodes.CountAsync(ct);
        var nodes = await db.Nodes.AsNoTracking().OrderBy(n => n.Name).ThenBy(n => n.StartedAt)
            .Skip(offset).Take(limit).ToListAsync(ct);
        var names = nodes.ConvertAll(n => n.Name);

        // Running items per node and batch, over the batches that have running items (the items' batch index serves it).
        var running = await (
            from i in db.Items
            join b in db.Batches on i.BatchId equals b.Id
            where b.Running > 0 && i.Status == ItemStatus.Running && i.LeaseNode != null && names.Contains(i.LeaseNode)
            group i by new { i.LeaseNode, i.BatchId, b.Name } into g
            select new { g.Key.LeaseNode, g.Key.BatchId, g.Key.Name, Count = g.Count() }).ToListAsync(ct);

        var now = time.GetUtcNow().UtcDateTime;
        var views = nodes.ConvertAll(n =>
        {
            var batches = running.Where(r => r.LeaseNode == n.Name).OrderBy(r => r.Name).ThenBy(r => r.BatchId)
                .Select(r => new NodeBatchView(r.BatchId, r.Name, r.Count)).ToList();
            var status = now - n.LastSeenAt > options.Lease ? NodeStatus.Gone : NodeStatus.Up;
            return new NodeView(n.Id, n.Name, n.Host, n.Version, n.StartedAt, n.LastSeenAt, status, batches.Sum(b => b.Running), batches);
        });
        return new Page<NodeView>(views, total, limit, offset);
    }

    /// <summary>
    /// Which nodes run items of one batch now (by name, with their running items), and how many nodes are up: a page
    /// names the nodes only where there is more than one.
    /// </summary>
    public async Task<BatchNodesView> OfBatchAsync(Guid batchId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var seenSince = time.GetUtcNow().UtcDateTime - options.Lease;
        var up = await db.Nodes.CountAsync(n => n.LastSeenAt >= seenSince, ct);
        var running = await db.Items.Where(i => i.BatchId == batchId && i.Status == ItemStatus.Running && i.LeaseNode != null)
            .GroupBy(i => i.LeaseNode!).Select(g => new { Node = g.Key, Count = g.Count() }).ToListAsync(ct);
        return new BatchNodesView(up, running.OrderBy(r => r.Node, StringComparer.Ordinal)
            .Select(r => new NodeRunningView(r.Node, r.Count)).ToList());
    }
}
