using System.Security.Claims;
using BatchMonitor.Core.Attempts;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Validation;
using BatchMonitor.Core.Views;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Endpoints.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BatchMonitor.Web.Endpoints;

/// <summary>
/// One item's attempts (<c>GET /api/v1/batches/{id}/items/{index}/attempts</c>, viewers read) and running one failed or
/// cancelled item again (<c>POST …/retry</c>, admins).
/// </summary>
public static class AttemptEndpoints
{
    public static void MapAttemptEndpoints(this RouteGroupBuilder batches)
    {
        var item = batches.MapGroup("/{id:guid}/items/{index:int}");
        item.MapGet("/attempts", ListAsync).WithName("ListItemAttempts")
            .WithSummary("Every attempt of an item, oldest first: {items, total, limit, offset}; each {attempt, node, startedAt, " +
                         "finishedAt, durationMs, outcome, error, detail}")
            .WithDescription("outcome is succeeded, failed (the item ran again if it had attempts left), cancelled (its batch stopped " +
                             "while it ran) or interrupted (its process or node went away; taken back after a restart or an expired " +
                             "lease). detail is the failure's stack trace, cut to a few KB. An attempt still running is not listed " +
                             $"until it ends (the item shows it). limit 1 to {AttemptService.MaxLimit} (default {AttemptService.DefaultLimit}).");
        item.MapPost("/retry", RetryAsync).WithName("RetryItem").RequireAuthorization(Policies.Admin)
            .WithSummary("Run one failed or cancelled item again, with a fresh allowance of attempts")
            .WithDescription("The item goes back to pending (its attempts stay counted: the next is attempts + 1). A finished batch " +
                             "goes back to queued and runs again as soon as the engine picks it. 409 when the item is pending, " +
                             "running, succeeded or skipped. Answers the batch.")
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Ok<Page<AttemptView>>, ValidationProblem, ProblemHttpResult>> ListAsync(Guid id, int index,
        AttemptService attempts, int? limit, int? offset, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (limit is < 1 or > AttemptService.MaxLimit) errors.Add("limit", $"limit must be between 1 and {AttemptService.MaxLimit}.");
        Paging.CheckOffset(offset, errors);
        if (!errors.IsValid) return ApiProblems.Invalid(errors);
        return await attempts.ListAsync(id, index, limit ?? AttemptService.DefaultLimit, offset ?? 0, ct) is { } page
            ? TypedResults.Ok(page)
            : ApiProblems.NotFound("item");
    }

    private static async Task<Results<Ok<BatchView>, ProblemHttpResult>> RetryAsync(Guid id, int index, BatchService service,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.RetryItemAsync(id, index, user.ToActor(), ct);
        return result.Outcome switch
        {
            ChangeOutcome.Ok when result.Batch is { } batch => TypedResults.Ok(batch),
            ChangeOutcome.Forbidden => ApiProblems.Forbidden(result.Message),
            ChangeOutcome.Conflict => ApiProblems.Conflict(result.Message),
            _ => ApiProblems.NotFound(result == ChangeResult.ItemNotFound ? "item" : "batch"),
        };
    }
}
