using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BatchMonitor.Core.Domain;

namespace BatchMonitor.Core.Datasets;

/// <summary>A dataset as the API and the pages show it, with how many rows stand where.</summary>
public sealed record DatasetView(
    Guid Id,
    string Name,
    int RowCount,
    int NeverProcessed,
    int Succeeded,
    int Failed,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string? CreatedBy)
{
    /// <summary>Rows never processed or failed last time: what "Process pending" takes.</summary>
    public int Pending => NeverProcessed + Failed;

    public static DatasetView From(Dataset d, int neverProcessed, int succeeded, int failed) =>
        new(d.Id, d.Name, d.RowCount, neverProcessed, succeeded, failed, d.CreatedAt, d.UpdatedAt, d.CreatedBy);
}

/// <summary>A dataset row with its last outcome.</summary>
public sealed record DatasetRowView
{
    public int Position { get; init; }
    public required string Key { get; init; }
    public string? Group { get; init; }
    public JsonNode? Payload { get; init; }
    public ItemStatus? LastStatus { get; init; }
    public JsonNode? LastResult { get; init; }
    public string? LastError { get; init; }
    public Guid? LastBatchId { get; init; }
    public DateTime? LastProcessedAt { get; init; }

    [JsonIgnore] public bool IsPending => LastStatus is null or ItemStatus.Failed;

    public static DatasetRowView From(DatasetRow r) => new()
    {
        Position = r.Position,
        Key = r.Key,
        Group = r.Group,
        Payload = r.PayloadJson is null ? null : JsonNode.Parse(r.PayloadJson),
        LastStatus = r.LastStatus,
        LastResult = r.LastResultJson is null ? null : JsonNode.Parse(r.LastResultJson),
        LastError = r.LastError,
        LastBatchId = r.LastBatchId,
        LastProcessedAt = r.LastProcessedAt,
    };
}

/// <summary>Which rows a dataset page shows by their last outcome.</summary>
public enum RowFilter
{
    /// <summary>Never processed.</summary>
    Never,
    Succeeded,
    Failed,

    /// <summary>Never processed or failed last time.</summary>
    Pending,
}

/// <summary>One page of a dataset's rows (1-based page numbers), optionally filtered.</summary>
public sealed record DatasetRowQuery
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;

    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = DefaultPageSize;
    public RowFilter? Status { get; init; }
    public string? Group { get; init; }

    /// <summary>Part of the key.</summary>
    public string? Text { get; init; }
}

/// <summary>A page of rows: <c>{items, total, page, pageSize}</c>.</summary>
public sealed record RowPage(IReadOnlyList<DatasetRowView> Items, int Total, int Page, int PageSize)
{
    public int PageCount => Total == 0 ? 1 : (Total + PageSize - 1) / PageSize;
}

/// <summary>What a dataset call did: the dataset, or why nothing changed.</summary>
public sealed record DatasetResult(DatasetView? Dataset, Validation.ValidationErrors? Errors, Engine.ChangeOutcome Outcome, string? Message)
{
    public bool IsOk => Outcome == Engine.ChangeOutcome.Ok && Errors is null;

    public static readonly DatasetResult NotFound = new(null, null, Engine.ChangeOutcome.NotFound, "No dataset has this id.");

    public static DatasetResult Ok(DatasetView? dataset) => new(dataset, null, Engine.ChangeOutcome.Ok, null);

    public static DatasetResult Invalid(Validation.ValidationErrors errors) => new(null, errors, Engine.ChangeOutcome.Ok, null);

    public static DatasetResult Conflict(string message) => new(null, null, Engine.ChangeOutcome.Conflict, message);

    /// <summary>Another dataset has the name: a conflict, said beside the name field.</summary>
    public static DatasetResult NameTaken(string message) =>
        new(null, Validation.ValidationErrors.Single("name", message), Engine.ChangeOutcome.Conflict, message);

    public static readonly DatasetResult Forbidden = new(null, null, Engine.ChangeOutcome.Forbidden, Access.Actor.Refusal);
}
