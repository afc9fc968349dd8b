using BatchMonitor.Core.Services;
using BatchMonitor.Web.Endpoints.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BatchMonitor.Web.Endpoints;

/// <summary><c>GET /api/v1/batches/{id}/queue</c>: where a queued batch stands in line and what it waits for (everyone signed in reads).</summary>
public static class QueueEndpoints
{
    public static void MapQueueEndpoints(this RouteGroupBuilder batches) =>
        batches.MapGet("/{id:guid}/queue", GetAsync).WithName("GetQueuePlace")
            .WithSummary("A queued batch's place in line: {position, ahead, waitsFor}; position null once it is not queued")
            .WithDescription("Queued batches start highest priority first, then oldest, up to BatchMonitor:Engine:MaxRunningBatches " +
                             "at once, and not while a running or paused batch holds the same exclusive key. waitsFor says which.");

    private static async Task<Results<Ok<QueuePlaceView>, ProblemHttpResult>> GetAsync(Guid id, QueuePlace queue, CancellationToken ct) =>
        await queue.OfAsync(id, ct) is { } place ? TypedResults.Ok(place) : ApiProblems.NotFound();
}
