using System.Security.Claims;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Views;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Endpoints.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BatchMonitor.Web.Endpoints;

/// <summary><c>PATCH /api/v1/batches/{id} {priority}</c>.</summary>
public sealed record PatchBatchRequest(int? Priority);

/// <summary>Pause, resume, cancel, retry the failed items, clone, change priority, delete: admin only; 409 when the state forbids it.</summary>
public static class BatchSteeringEndpoints
{
    public static void MapBatchSteering(this RouteGroupBuilder batches)
    {
        var steer = batches.MapGroup("/{id:guid}").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status409Conflict);
        steer.MapPost("/pause", (Guid id, BatchService s, ClaimsPrincipal u, CancellationToken ct) => ChangeAsync(s.PauseAsync(id, u.ToActor(), ct)))
            .WithName("PauseBatch").WithSummary("Pause a running batch (running items finish; no new item starts)");
        steer.MapPost("/resume", (Guid id, BatchService s, ClaimsPrincipal u, CancellationToken ct) => ChangeAsync(s.ResumeAsync(id, u.ToActor(), ct)))
            .WithName("ResumeBatch").WithSummary("Resume a paused batch");
        steer.MapPost("/cancel", (Guid id, BatchService s, ClaimsPrincipal u, CancellationToken ct) => ChangeAsync(s.CancelAsync(id, u.ToActor(), ct)))
            .WithName("CancelBatch").WithSummary("Cancel a queued, running or paused batch; items not done become cancelled");
        steer.MapPost("/retry-failed", (Guid id, BatchService s, ClaimsPrincipal u, CancellationToken ct) =>
                ChangeAsync(s.RetryFailedAsync(id, u.ToActor(), ct)))
            .WithName("RetryFailedItems").WithSummary("Put the failed items back to pending with fresh attempts");
        steer.MapPost("/clone", CloneAsync)
            .WithName("CloneBatch").WithSummary("A new queued batch with the same handler, args, options and items");
        steer.MapPost("/run-rest", RunTheRestAsync)
            .WithName("RunTheRest").WithSummary("A new queued batch of a cancelled or timed-out batch's unfinished items (409 for other batches)");
        steer.MapPatch("", PatchAsync)
            .WithName("ChangeBatchPriority").WithSummary("Change the priority of a queued, running or paused batch");
        steer.MapDelete("", DeleteAsync)
            .WithName("DeleteBatch").WithSummary("Delete a finished batch with its items and logs");
    }

    private static async Task<Results<Ok<BatchView>, ProblemHttpResult>> ChangeAsync(Task<ChangeResult> change)
    {
        var result = await change;
        return result.Outcome switch
        {
            ChangeOutcome.Ok when result.Batch is { } batch => TypedResults.Ok(batch),
            ChangeOutcome.Ok => ApiProblems.NotFound(),
            ChangeOutcome.NotFound => ApiProblems.NotFound(),
            ChangeOutcome.Forbidden => ApiProblems.Forbidden(result.Message),
            _ => ApiProblems.Conflict(result.Message),
        };
    }

    private static async Task<Results<Accepted<BatchView>, ProblemHttpResult>> CloneAsync(Guid id, BatchService service,
        ClaimsPrincipal user, CancellationToken ct) => Made(await service.CloneAsync(id, user.ToActor(), ct));

    /// <summary>A batch made from another (clone, the rest): 202 with its location, or why not.</summary>
    private static Results<Accepted<BatchView>, ProblemHttpResult> Made(CreateResult? result)
    {
        if (result is null) return ApiProblems.NotFound();
        if (result.IsForbidden) return ApiProblems.Forbidden(result.Conflict);
        if (result.Batch is null) return ApiProblems.Conflict(result.Conflict ?? result.Errors?.ToString());
        return TypedResults.Accepted(BatchEndpoints.Location(result.Batch.Id), result.Batch);
    }

    private static async Task<Results<Accepted<BatchView>, ProblemHttpResult>> RunTheRestAsync(Guid id, BatchService service,
        ClaimsPrincipal user, CancellationToken ct) => Made(await service.RunTheRestAsync(id, user.ToActor(), ct));

    private static async Task<Results<Ok<BatchView>, ValidationProblem, ProblemHttpResult>> PatchAsync(Guid id,
        PatchBatchRequest request, BatchService service, ClaimsPrincipal user, CancellationToken ct)
    {
        if (request.Priority is not { } priority) return ApiProblems.Invalid("priority", "Give the new priority (-1000 to 1000).");
        if (priority is < -1000 or > 1000) return ApiProblems.Invalid("priority", "priority must be between -1000 and 1000.");
        return await ChangeAsync(service.SetPriorityAsync(id, priority, user.ToActor(), ct)) switch
        {
            { Result: Ok<BatchView> ok } => ok,
            { Result: ProblemHttpResult problem } => problem,
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, BatchService service,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.DeleteAsync(id, user.ToActor(), ct);
        return result.Outcome switch
        {
            ChangeOutcome.Ok => TypedResults.NoContent(),
            ChangeOutcome.NotFound => ApiProblems.NotFound(),
            ChangeOutcome.Forbidden => ApiProblems.Forbidden(result.Message),
            _ => ApiProblems.Conflict(result.Message),
        };
    }
}
