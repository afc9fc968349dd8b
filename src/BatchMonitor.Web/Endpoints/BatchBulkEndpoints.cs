using System.Security.Claims;
using BatchMonitor.Core.Services;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Endpoints.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BatchMonitor.Web.Endpoints;

/// <summary>What <c>POST /api/v1/batches/bulk</c> did (or, with <c>dryRun</c>, would do).</summary>
/// <param name="Matched">Batches of the filter the action applies to.</param>
/// <param name="Changed">Batches it changed (0 on a dry run).</param>
/// <param name="FirstRefusal">Why the first batch that could not be changed was refused (it changed meanwhile, say).</param>
public sealed record BulkResultView(string Action, bool DryRun, int Matched, int Changed, string? FirstRefusal);

/// <summary>
/// <c>POST /api/v1/batches/bulk?action=cancel|retry-failed|delete</c> with the list's filters (<c>status</c>,
/// <c>handler</c>, <c>q</c>, <c>failures</c>, <c>createdAfter</c>): the batch list's "all that match", for scripts. Admin only.
/// </summary>
public static class BatchBulkEndpoints
{
    private static readonly Dictionary<string, BulkAction> Actions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cancel"] = BulkAction.Cancel,
        ["retry-failed"] = BulkAction.RetryFailed,
        ["delete"] = BulkAction.Delete,
    };

    public static void MapBatchBulk(this RouteGroupBuilder batches) =>
        batches.MapPost("/bulk", BulkAsync).RequireAuthorization(Policies.Admin)
            .WithName("BulkChangeBatches")
            .WithSummary("Cancel, retry the failed items of, or delete every batch that matches the list's filters")
            .WithDescription("action is cancel (queued, running and paused batches), retry-failed (batches with failed items) or " +
                             "delete (finished batches); status, handler, q, failures and createdAfter filter as GET /api/v1/batches does, " +
                             "paging aside. Each batch moves through the same guarded change as its own button; one that " +
                             "changed meanwhile is refused and counted out. dryRun=true only counts.");

    private static async Task<Results<Ok<BulkResultView>, ValidationProblem, ProblemHttpResult>> BulkAsync(BatchService service,
        ClaimsPrincipal user, string? action, string? status, string? handler, string? q, string? failures, string? createdAfter,
        string? dryRun, CancellationToken ct)
    {
        var errors = BatchListQuery.TryParse(status, handler, q, null, null, null, failures, null, createdAfter, out var filter);
        BulkAction bulk = default;
        if (string.IsNullOrWhiteSpace(action)) errors.Add("action", $"Give the action: {string.Join(", ", Actions.Keys)}.");
        else if (!Actions.TryGetValue(action.Trim(), out bulk))
            errors.Add("action", $"'{action}' is not a bulk action; use {string.Join(", ", Actions.Keys)}.");
        var dry = false;
        if (!string.IsNullOrWhiteSpace(dryRun) && !bool.TryParse(dryRun.Trim(), out dry))
            errors.Add("dryRun", "dryRun must be true or false.");
        if (!errors.IsValid) return ApiProblems.Invalid(errors, "Nothing was changed; see errors.");

        var name = Actions.First(a => a.Value == bulk).Key;
        if (dry) return TypedResults.Ok(new BulkResultView(name, true, await service.CountMatchingAsync(bulk, filter, ct), 0, null));
        var result = await service.ApplyToMatchingAsync(bulk, filter, user.ToActor(), ct);
        if (result.Forbidden) return ApiProblems.Forbidden(result.FirstRefusal);
        return TypedResults.Ok(new BulkResultView(name, false, result.Matched, result.Changed, result.FirstRefusal));
    }
}
