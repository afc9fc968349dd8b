using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BatchMonitor.Web.Endpoints;

/// <summary>A handler and the arguments a batch gives it (type, default, bounds, allowed values).</summary>
public sealed record HandlerInfo(string Name, string Description, IReadOnlyList<HandlerArgument> Arguments);

/// <summary><c>GET /api/v1/handlers</c>: the kinds of batch this server runs.</summary>
public static class HandlerEndpoints
{
    public static RouteGroupBuilder MapHandlerEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/handlers", (BatchService service) => List(service)).WithTags("Handlers").WithName("ListHandlers")
            .WithSummary("Registered handlers with their argument schemas");
        return api;
    }

    private static Ok<IReadOnlyList<HandlerInfo>> List(BatchService service) =>
        TypedResults.Ok<IReadOnlyList<HandlerInfo>>(service.Handlers.Select(h => new HandlerInfo(h.Name, h.Description, h.Arguments)).ToList());
}
