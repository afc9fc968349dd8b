using System.Security.Claims;
using BatchMonitor.Core.Retention;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Endpoints.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BatchMonitor.Web.Endpoints;

/// <summary>
/// <c>/api/v1/retention</c>: how long finished batches and schedule history are kept, what was pruned so far, and a
/// prune now. Admins only; the service refuses anyone else too.
/// </summary>
public static class RetentionEndpoints
{
    public static RouteGroupBuilder MapRetentionEndpoints(this RouteGroupBuilder api)
    {
        var retention = api.MapGroup("/retention").WithTags("Retention").RequireAuthorization(Policies.Admin);
        retention.MapGet("", GetAsync).WithName("GetRetention")
            .WithSummary("The retention settings in force, where each comes from, the totals pruned so far, and the last and next turn")
            .WithDescription("finishedBatchDays and scheduleRunsKept are each {value, source}, source database (set here or on the " +
                             "Retention page; wins over the configuration), configuration (BatchMonitor:Retention) or default. " +
                             "totals {batches, items, logLines, attempts, scheduleRuns, lastRunAt} count everything pruned since the " +
                             "database was made; runningOn names the node pruning now, if any.");
        retention.MapPut("", UpdateAsync).WithName("ReplaceRetention")
            .WithSummary("Store the settings: {finishedBatchDays, scheduleRunsKept}; a field left out or null goes back to the configuration's")
            .WithDescription($"finishedBatchDays 0 (keep forever) to {RetentionOptions.MaxFinishedBatchDays}: finished batches (completed, " +
                             "failed, cancelled, timed out) whose finishedAt is older are pruned with their items, attempts and logs. " +
                             $"scheduleRunsKept 0 (keep every fire) to {RetentionOptions.MaxScheduleRunsKept}: the newest fires each schedule " +
                             "keeps in its history. Audited; nothing is stored when a field is refused.");
        retention.MapPost("/run", RunAsync).WithName("RunRetention")
            .WithSummary("Prune now on this node: answers what was pruned {at, batches, items, logLines, attempts, scheduleRuns}; 409 while another node prunes")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return retention;
    }

    private static async Task<Results<Ok<RetentionView>, ProblemHttpResult>> GetAsync(RetentionService service, ClaimsPrincipal user,
        CancellationToken ct)
    {
        var result = await service.GetAsync(user.ToActor(), ct);
        return result.View is { } view ? TypedResults.Ok(view) : ApiProblems.Forbidden(result.Message);
    }

    private static async Task<Results<Ok<RetentionView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(RetentionInput input,
        RetentionService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.UpdateAsync(input, user.ToActor(), ct);
        return result.Outcome switch
        {
            RetentionOutcome.Ok => TypedResults.Ok(result.View!),
            RetentionOutcome.Invalid => ApiProblems.Invalid(result.Errors!, result.Message),
            _ => ApiProblems.Forbidden(result.Message),
        };
    }

    private static async Task<Results<Ok<PruneReport>, ProblemHttpResult>> RunAsync(RetentionService service, ClaimsPrincipal user,
        CancellationToken ct)
    {
        var result = await service.RunNowAsync(user.ToActor(), ct);
        return result.Outcome switch
        {
            RetentionOutcome.Ok => TypedResults.Ok(result.Report!),
            RetentionOutcome.Busy => ApiProblems.Conflict(result.Message),
            _ => ApiProblems.Forbidden(result.Message),
        };
    }
}
