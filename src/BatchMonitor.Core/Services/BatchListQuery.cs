using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Validation;

namespace BatchMonitor.Core.Services;

/// <summary>Filter, order and page of the batch list (API.md: GET /api/v1/batches; the Batches page's query string).</summary>
public sealed record BatchListQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static readonly IReadOnlyList<string> OrderFields =
        ["createdAt", "startedAt", "finishedAt", "status", "progress", "name", "priority"];

    public IReadOnlyList<BatchStatus> Statuses { get; init; } = [];
    public string? Handler { get; init; }

    /// <summary>Matches the name, the error, the exclusive key, or any item's key, error or result (from an index: TextSearch).</summary>
    public string? Text { get; init; }

    /// <summary>Only batches with at least one failed item (<c>?failures=true</c>), whatever their status; false: none.</summary>
    public bool? Failures { get; init; }

    /// <summary>
    /// Keyset paging: the page starts after this batch in the list's order (the last one of the page before), so rows
    /// added or removed meanwhile shift nothing. Used instead of <see cref="Offset"/> when given.
    /// </summary>
    public Guid? After { get; init; }

    /// <summary>Only batches created at or after this time (<c>?createdAfter=2026-11-24T00:00:00Z</c>; "this week").</summary>
    public DateTime? CreatedAfter { get; init; }

    /// <summary>One of <see cref="OrderFields"/>.</summary>
    public string OrderBy { get; init; } = "createdAt";

    public bool Descending { get; init; } = true;
    public int Limit { get; init; } = DefaultLimit;
    public int Offset { get; init; }

    /// <summary>The query-string form: <c>-createdAt</c> for descending.</summary>
    public string OrderByText => (Descending ? "-" : "") + OrderBy;

    public static ValidationErrors TryParse(string? status, string? handler, string? text, string? orderBy, int? limit, int? offset,
        out BatchListQuery query) =>
        TryParse(status, handler, text, orderBy, limit, offset, null, null, out query);

    public static ValidationErrors TryParse(string? status, string? handler, string? text, string? orderBy, int? limit, int? offset,
        string? failures, string? after, out BatchListQuery query) =>
        TryParse(status, handler, text, orderBy, limit, offset, failures, after, null, out query);

    public static ValidationErrors TryParse(string? status, string? handler, string? text, string? orderBy, int? limit, int? offset,
        string? failures, string? after, string? createdAfter, out BatchListQuery query)
    {
        var errors = new ValidationErrors();
        DateTime? since = null;
        if (!string.IsNullOrWhiteSpace(createdAfter))
        {
            if (DateTime.TryParse(createdAfter.Trim(), System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
                since = DateTime.SpecifyKind(at, DateTimeKind.Utc);
            else errors.Add("createdAfter", "createdAfter must be a time such as 2026-11-24T00:00:00Z.");
        }
        bool? withFailures = null;
        if (!string.IsNullOrWhiteSpace(failures))
        {
            if (bool.TryParse(failures.Trim(), out var f)) withFailures = f;
            else errors.Add("failures", "failures must be true or false.");
        }
        Guid? afterId = null;
        if (!string.IsNullOrWhiteSpace(after))
        {
            if (Guid.TryParse(after.Trim(), out var a)) afterId = a;
            else errors.Add("after", "after must be the id of a batch (the last one of the page before).");
        }
        var statuses = new List<BatchStatus>();
        foreach (var word in (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (StatusNames.TryParseBatch(word, out var s)) statuses.Add(s);
            else errors.Add("status", $"'{word}' is not a batch status; use {string.Join(", ", StatusNames.AllBatchNames)}.");
        }

        var order = string.IsNullOrWhiteSpace(orderBy) ? "-createdAt" : orderBy.Trim();
        var descending = order.StartsWith('-');
        var field = order.TrimStart('-', '+');
        var known = OrderFields.FirstOrDefault(f => string.Equals(f, field, StringComparison.OrdinalIgnoreCase));
        if (known is null) errors.Add("orderBy", $"orderBy must be one of {string.Join(", ", OrderFields)}, with '-' for descending.");
        else if (afterId is not null && !BatchListReader.KeysetOrders.Contains(known))
            errors.Add("after", $"after works with orderBy {string.Join(", ", BatchListReader.KeysetOrders)}; use offset for {known}.");

        if (limit is < 1 or > MaxLimit) errors.Add("limit", $"limit must be between 1 and {MaxLimit}.");
        Paging.CheckOffset(offset, errors);
        if (text is { Length: > 200 }) errors.Add("q", "The search text must be at most 200 characters.");

        query = new BatchListQuery
        {
            Statuses = statuses.Distinct().ToList(),
            Handler = string.IsNullOrWhiteSpace(handler) ? null : handler.Trim(),
            Text = string.IsNullOrWhiteSpace(text) ? null : text.Trim(),
            OrderBy = known ?? "createdAt",
            Descending = known is null || descending,
            Limit = limit ?? DefaultLimit,
            Offset = offset ?? 0,
            Failures = withFailures,
            After = afterId,
            CreatedAfter = since,
        };
        return errors;
    }
}

/// <summary>Filter and page of one batch's items.</summary>
public sealed record ItemQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    public IReadOnlyList<ItemStatus> Statuses { get; init; } = [];

    /// <summary>Part of the key.</summary>
    public string? Text { get; init; }

    public int Limit { get; init; } = DefaultLimit;
    public int Offset { get; init; }

    public static ValidationErrors TryParse(string? status, string? text, int? limit, int? offset, out ItemQuery query)
    {
        var errors = new ValidationErrors();
        var statuses = new List<ItemStatus>();
        foreach (var word in (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (StatusNames.TryParseItem(word, out var s)) statuses.Add(s);
            else errors.Add("status", $"'{word}' is not an item status; use {string.Join(", ", StatusNames.AllItemNames)}.");
        }
        if (limit is < 1 or > MaxLimit) errors.Add("limit", $"limit must be between 1 and {MaxLimit}.");
        Paging.CheckOffset(offset, errors);
        if (text is { Length: > 1000 }) errors.Add("q", "The search text must be at most 1000 characters.");
        query = new ItemQuery
        {
            Statuses = statuses.Distinct().ToList(),
            Text = string.IsNullOrWhiteSpace(text) ? null : text.Trim(),
            Limit = limit ?? DefaultLimit,
            Offset = offset ?? 0,
        };
        return errors;
    }
}
