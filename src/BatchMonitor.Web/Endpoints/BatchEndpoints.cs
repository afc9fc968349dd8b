using System.Security.Claims;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Views;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Endpoints.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BatchMonitor.Web.Endpoints;

/// <summary><c>/api/v1/batches</c>: create, list and read batches, their items and logs (API.md, "Batches").</summary>
public static class BatchEndpoints
{
    /// <summary>
    /// A batch body may carry 1,000,000 items (the most a batch holds): 1,000,000 keys of up to ~90 characters, or
    /// fewer items with groups and payloads. Anything bigger is refused with 413 before it is read.
    /// </summary>
    public static readonly BodyLimit CreateBodyLimit = new(100L * 1024 * 1024);

    public static RouteGroupBuilder MapBatchEndpoints(this RouteGroupBuilder api)
    {
        var batches = api.MapGroup("/batches").WithTags("Batches");

        batches.MapPost("", CreateAsync).WithName("CreateBatch").RequireAuthorization(Policies.Admin)
            .WithMetadata(CreateBodyLimit)
            .WithSummary("Start a batch")
            .WithDescription("Validates and stores the batch with its items, then answers at once (202) while the engine runs it. " +
                             "Nothing is stored when the request is refused. Unknown fields are refused (400).")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        batches.MapGet("", ListAsync).WithName("ListBatches")
            .WithSummary("List batches, filtered, sorted and paged");
        batches.MapGet("/active", ActiveAsync).WithName("ActiveBatches")
            .WithSummary("Running, paused and queued batches");
        batches.MapGet("/{id:guid}", GetAsync).WithName("GetBatch")
            .WithSummary("One batch");
        batches.MapGet("/{id:guid}/items", ItemsAsync).WithName("ListBatchItems")
            .WithSummary("A batch's items in index order, filtered and paged");

        batches.MapBatchLogs();
        batches.MapBatchSteering();
        batches.MapBatchBulk();
        batches.MapAttemptEndpoints();
        batches.MapQueueEndpoints();
        batches.MapBatchResults();
        batches.MapBatchEventStream();
        return batches;
    }

    private static async Task<Results<Accepted<BatchView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateBatchRequest request, BatchService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.CreateAsync(request, user.ToActor(), ct);
        if (result.IsForbidden) return ApiProblems.Forbidden(result.Conflict);
        if (result.Errors is { } errors) return ApiProblems.Invalid(errors, "The batch was not created; see errors.");
        if (result.Conflict is { } conflict) return ApiProblems.Conflict(conflict);
        return TypedResults.Accepted(Location(result.Batch!.Id), result.Batch);
    }

    private static async Task<Results<Ok<Page<BatchView>>, ValidationProblem>> ListAsync(BatchService service,
        string? status, string? handler, string? q, string? orderBy, int? limit, int? offset, string? failures, string? after,
        string? createdAfter, CancellationToken ct)
    {
        var errors = BatchListQuery.TryParse(status, handler, q, orderBy, limit, offset, failures, after, createdAfter, out var query);
        if (!errors.IsValid) return ApiProblems.Invalid(errors);
        return TypedResults.Ok(await service.ListAsync(query, ct));
    }

    private static async Task<Ok<IReadOnlyList<BatchView>>> ActiveAsync(BatchService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ActiveAsync(ct));

    private static async Task<Results<Ok<BatchView>, ProblemHttpResult>> GetAsync(Guid id, BatchService service, CancellationToken ct) =>
        await service.GetAsync(id, ct) is { } batch ? TypedResults.Ok(batch) : ApiProblems.NotFound();

    private static async Task<Results<Ok<Page<ItemView>>, ValidationProblem, ProblemHttpResult>> ItemsAsync(Guid id, BatchService service,
        string? status, string? q, int? limit, int? offset, CancellationToken ct)
    {
        var errors = ItemQuery.TryParse(status, q, limit, offset, out var query);
        if (!errors.IsValid) return ApiProblems.Invalid(errors);
        return await service.ItemsAsync(id, query, ct) is { } page ? TypedResults.Ok(page) : ApiProblems.NotFound();
    }

    public static string Location(Guid id) => $"/api/v1/batches/{id}";
}
