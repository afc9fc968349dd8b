using System.Security.Claims;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Validation;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Endpoints.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BatchMonitor.Web.Endpoints;

/// <summary><c>POST /api/v1/datasets {name, items}</c>: items as in a batch, strings or <c>{key, group, payload}</c>.</summary>
public sealed record CreateDatasetRequest(string? Name, IReadOnlyList<ItemInput>? Items);

/// <summary><c>POST /api/v1/datasets/{id}/items {items}</c>: rows added at the end.</summary>
public sealed record AppendRowsRequest(IReadOnlyList<ItemInput>? Items);

/// <summary><c>PATCH /api/v1/datasets/{id} {name}</c>.</summary>
public sealed record PatchDatasetRequest(string? Name);

/// <summary>
/// <c>/api/v1/datasets</c> (API.md, "Datasets"): named lists of rows with each row's last outcome. Everyone signed in
/// reads; admins create, append, rename and delete. A batch over a dataset is a <c>POST /api/v1/batches</c> with a
/// <c>source</c>.
/// </summary>
public static class DatasetEndpoints
{
    /// <summary>Rows come in the same numbers and shapes as a batch's items: the same limit.</summary>
    public static readonly BodyLimit RowsBodyLimit = BatchEndpoints.CreateBodyLimit;

    public static RouteGroupBuilder MapDatasetEndpoints(this RouteGroupBuilder api)
    {
        var datasets = api.MapGroup("/datasets").WithTags("Datasets");

        datasets.MapPost("", CreateAsync).WithName("CreateDataset").RequireAuthorization(Policies.Admin)
            .WithMetadata(RowsBodyLimit)
            .WithSummary("Create a dataset from rows")
            .WithDescription("Rows are strings (the key) or {key, group?, payload?}; keys are unique. Nothing is stored when " +
                             "the request is refused. Unknown fields are refused (400). A name another dataset has (trimmed, " +
                             "ignoring case) is refused with 409 and errors.name.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        datasets.MapGet("", ListAsync).WithName("ListDatasets")
            .WithSummary("Every dataset with how many rows never ran, succeeded and failed last time");
        datasets.MapGet("/{id:guid}", GetAsync).WithName("GetDataset")
            .WithSummary("One dataset with its counts");
        datasets.MapGet("/{id:guid}/items", RowsAsync).WithName("ListDatasetRows")
            .WithSummary("One page of rows in dataset order, each with its last outcome")
            .WithDescription("page is 1-based; page p at pageSize s is rows (p-1)·s+1 … p·s, as a batch's source picks them. " +
                             "Filters: status (never, succeeded, failed, pending = never or failed), group, q (part of the key).");
        datasets.MapPost("/{id:guid}/items", AppendAsync).WithName("AppendDatasetRows").RequireAuthorization(Policies.Admin)
            .WithMetadata(RowsBodyLimit)
            .WithSummary("Add rows at the end; a key already in the dataset is refused")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        datasets.MapPatch("/{id:guid}", RenameAsync).WithName("RenameDataset").RequireAuthorization(Policies.Admin)
            .WithSummary("Rename a dataset (409 with errors.name when another dataset has the name)")
            .ProducesProblem(StatusCodes.Status409Conflict);
        datasets.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteDataset").RequireAuthorization(Policies.Admin)
            .WithSummary("Delete a dataset and its rows (409 while a batch over it is queued, running or paused)")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return datasets;
    }

    private static async Task<Results<Created<DatasetView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateDatasetRequest request, DatasetService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.CreateAsync(request.Name, request.Items, user.ToActor(), ct);
        if (result.Outcome == ChangeOutcome.Forbidden) return ApiProblems.Forbidden(result.Message);
        if (result is { Outcome: ChangeOutcome.Conflict, Errors: { } taken }) return ApiProblems.Conflict(taken, result.Message);
        if (result.Errors is { } errors) return ApiProblems.Invalid(errors, "The dataset was not created; see errors.");
        return TypedResults.Created(Location(result.Dataset!.Id), result.Dataset);
    }

    private static async Task<Ok<IReadOnlyList<DatasetView>>> ListAsync(DatasetService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ListAsync(ct));

    private static async Task<Results<Ok<DatasetView>, ProblemHttpResult>> GetAsync(Guid id, DatasetService service, CancellationToken ct) =>
        await service.GetAsync(id, ct) is { } dataset ? TypedResults.Ok(dataset) : ApiProblems.NotFound("dataset");

    private static async Task<Results<Ok<RowPage>, ValidationProblem, ProblemHttpResult>> RowsAsync(Guid id, DatasetService service,
        int? page, int? pageSize, string? status, string? group, string? q, CancellationToken ct)
    {
        var errors = DatasetRowQueries.TryParse(page, pageSize, status, group, q, out var query);
        if (!errors.IsValid) return ApiProblems.Invalid(errors);
        return await service.RowsAsync(id, query, ct) is { } rows ? TypedResults.Ok(rows) : ApiProblems.NotFound("dataset");
    }

    private static async Task<Results<Ok<DatasetView>, ValidationProblem, ProblemHttpResult>> AppendAsync(Guid id,
        AppendRowsRequest request, DatasetService service, ClaimsPrincipal user, CancellationToken ct) =>
        Changed(await service.AppendAsync(id, request.Items, user.ToActor(), ct), "No row was added; see errors.");

    private static async Task<Results<Ok<DatasetView>, ValidationProblem, ProblemHttpResult>> RenameAsync(Guid id,
        PatchDatasetRequest request, DatasetService service, ClaimsPrincipal user, CancellationToken ct) =>
        Changed(await service.RenameAsync(id, request.Name, user.ToActor(), ct), null);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, DatasetService service,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.DeleteAsync(id, user.ToActor(), ct);
        return result.Outcome switch
        {
            ChangeOutcome.Ok => TypedResults.NoContent(),
            ChangeOutcome.NotFound => ApiProblems.NotFound("dataset"),
            ChangeOutcome.Forbidden => ApiProblems.Forbidden(result.Message),
            _ => ApiProblems.Conflict(result.Message),
        };
    }

    private static Results<Ok<DatasetView>, ValidationProblem, ProblemHttpResult> Changed(DatasetResult result, string? invalidDetail) =>
        result switch
        {
            { Outcome: ChangeOutcome.Forbidden } => ApiProblems.Forbidden(result.Message),
            { Outcome: ChangeOutcome.Conflict, Errors: { } taken } => ApiProblems.Conflict(taken, result.Message),
            { Errors: { } errors } => ApiProblems.Invalid(errors, invalidDetail),
            { Outcome: ChangeOutcome.Conflict } => ApiProblems.Conflict(result.Message),
            { Dataset: { } dataset } => TypedResults.Ok(dataset),
            _ => ApiProblems.NotFound("dataset"),
        };

    public static string Location(Guid id) => $"/api/v1/datasets/{id}";
}

/// <summary>
/// A page of a dataset's rows from query-string words (the API's <c>GET …/items</c> and the dataset page's address):
/// <c>page</c> from 1, <c>pageSize</c> 1–1000, <c>status</c> never | succeeded | failed | pending, <c>group</c>, <c>q</c>.
/// </summary>
public static class DatasetRowQueries
{
    public const int MaxTextLength = 200;

    public static readonly IReadOnlyList<string> StatusWords = Enum.GetValues<RowFilter>().Select(Word).ToList();

    public static string Word(RowFilter filter) => filter.ToString().ToLowerInvariant();

    /// <summary>Parses what is valid and says what is not (an invalid value is left at its default).</summary>
    public static ValidationErrors TryParse(int? page, int? pageSize, string? status, string? group, string? text, out DatasetRowQuery query)
    {
        var errors = new ValidationErrors();
        if (pageSize is < 1 or > DatasetRowQuery.MaxPageSize)
            errors.Add("pageSize", $"pageSize must be between 1 and {DatasetRowQuery.MaxPageSize}.");
        Paging.CheckPage(page, pageSize is >= 1 and <= DatasetRowQuery.MaxPageSize ? pageSize.Value : DatasetRowQuery.DefaultPageSize, errors);
        RowFilter? filter = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            var word = status.Trim();
            filter = Enum.GetValues<RowFilter>().Cast<RowFilter?>().FirstOrDefault(f => string.Equals(Word(f!.Value), word, StringComparison.OrdinalIgnoreCase));
            if (filter is null) errors.Add("status", $"'{word}' is not a row status; use {string.Join(", ", StatusWords)}.");
        }
        if (group is { Length: > BatchRequestValidator.MaxGroupLength })
            errors.Add("group", $"The group must be at most {BatchRequestValidator.MaxGroupLength} characters.");
        if (text is { Length: > MaxTextLength }) errors.Add("q", $"The search text must be at most {MaxTextLength} characters.");

        query = new DatasetRowQuery
        {
            Page = page is >= 1 && !errors.Has("page") ? page.Value : 1,
            PageSize = pageSize is >= 1 and <= DatasetRowQuery.MaxPageSize ? pageSize.Value : DatasetRowQuery.DefaultPageSize,
            Status = filter,
            Group = string.IsNullOrWhiteSpace(group) || errors.Has("group") ? null : group.Trim(),
            Text = string.IsNullOrWhiteSpace(text) || errors.Has("q") ? null : text.Trim(),
        };
        return errors;
    }
}
