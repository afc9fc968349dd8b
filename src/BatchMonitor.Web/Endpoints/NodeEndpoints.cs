using BatchMonitor.Core.Nodes;
using BatchMonitor.Core.Validation;
using BatchMonitor.Core.Views;
using BatchMonitor.Web.Endpoints.Infrastructure;
using BatchMonitor.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BatchMonitor.Web.Endpoints;

/// <summary>
/// <c>GET /api/v1/nodes</c>: the engine processes working on this database, each with its heartbeat and what it runs
/// now (running items per batch). Admins only, as API.md has it: node names and hosts describe the deployment.
/// </summary>
public static class NodeEndpoints
{
    public static RouteGroupBuilder MapNodeEndpoints(this RouteGroupBuilder api)
    {
        var nodes = api.MapGroup("/nodes").WithTags("Nodes").RequireAuthorization(Policies.Admin);
        nodes.MapGet("", ListAsync).WithName("ListNodes")
            .WithSummary("The nodes on this database by name: {items, total, limit, offset}; each {id, name, host, version, startedAt, " +
                         "lastSeenAt, status, running, batches: [{batchId, name, running}]}")
            .WithDescription("status is up while the node's heartbeat is newer than BatchMonitor:Node:LeaseSeconds, else gone (its " +
                             "items are taken back by the other nodes). running counts the items the node runs now; batches says of " +
                             "which batches. A node that stops gracefully removes itself from the list. " +
                             $"limit 1 to {NodeService.MaxLimit} (default {NodeService.DefaultLimit}).");
        return nodes;
    }

    private static async Task<Results<Ok<Page<NodeView>>, ValidationProblem>> ListAsync(NodeService service, int? limit, int? offset,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (limit is < 1 or > NodeService.MaxLimit) errors.Add("limit", $"limit must be between 1 and {NodeService.MaxLimit}.");
        Paging.CheckOffset(offset, errors);
        if (!errors.IsValid) return ApiProblems.Invalid(errors);
        return TypedResults.Ok(await service.ListAsync(limit ?? NodeService.DefaultLimit, offset ?? 0, ct));
    }
}
