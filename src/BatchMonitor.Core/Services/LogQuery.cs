using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Validation;
using BatchMonitor.Core.Views;

namespace BatchMonitor.Core.Services;

/// <summary>
/// Filter and page of one batch's log (<c>GET /api/v1/batches/{id}/logs</c>, the batch page's log panel). Lines match
/// when their level is one of <see cref="Levels"/> (any level when empty), their item is <see cref="ItemKey"/> (any
/// line when null) and their message holds <see cref="Text"/> ignoring case (from an index: LogSearch). The store and
/// <see cref="Matches"/> agree, so a live page keeps a new line exactly when a read would have returned it.
/// </summary>
public sealed record LogQuery
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;
    public const int MaxTextLength = 200;

    /// <summary>Levels to show: one or several of <see cref="LogLevels.All"/> (not a minimum); empty for every level.</summary>
    public IReadOnlyList<string> Levels { get; init; } = [];

    /// <summary>The item's key exactly, as log lines carry it; null for every line (batch lines included).</summary>
    public string? ItemKey { get; init; }

    /// <summary>Text anywhere in the message, ignoring case.</summary>
    public string? Text { get; init; }

    public long AfterSeq { get; init; }

    public int Limit { get; init; } = DefaultLimit;

    /// <summary>The newest <see cref="Limit"/> matching lines (still oldest first) rather than the first after <see cref="AfterSeq"/>.</summary>
    public bool Tail { get; init; }

    public bool IsFiltered => Levels.Count > 0 || ItemKey is not null || Text is not null;

    /// <summary>
    /// Reads the query string. <paramref name="levels"/> may repeat (<c>level=warning&amp;level=error</c>) and each may
    /// list several (<c>level=warning,error</c>); an unknown level is refused. An empty <c>item=</c> or <c>q=</c> filters nothing.
    /// </summary>
    public static ValidationErrors TryParse(IEnumerable<string?>? levels, string? item, string? text, long? afterSeq, int? limit,
        bool? tail, out LogQuery query)
    {
        var errors = new ValidationErrors();
        var chosen = new List<string>();
        foreach (var word in (levels ?? []).SelectMany(l => (l ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var level = LogLevels.All.FirstOrDefault(l => string.Equals(l, word, StringComparison.OrdinalIgnoreCase));
            if (level is null) errors.Add("level", $"'{BatchRequestValidator.Shorten(word)}' is not a log level; use {string.Join(", ", LogLevels.All)}.");
            else if (!chosen.Contains(level)) chosen.Add(level);
        }
        var key = string.IsNullOrWhiteSpace(item) ? null : item;
        if (key is { Length: > 1000 }) errors.Add("item", "item is an item's key: at most 1000 characters.");
        var search = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (search is { Length: > MaxTextLength }) errors.Add("q", $"The search text must be at most {MaxTextLength} characters.");
        if (afterSeq is < 0) errors.Add("afterSeq", "afterSeq cannot be negative.");
        if (limit is < 1 or > MaxLimit) errors.Add("limit", $"limit must be between 1 and {MaxLimit}.");
        query = new LogQuery
        {
            Levels = chosen.Count == LogLevels.All.Count ? [] : chosen,
            ItemKey = key,
            Text = search,
            AfterSeq = afterSeq ?? 0,
            Limit = limit ?? DefaultLimit,
            Tail = tail ?? false,
        };
        return errors;
    }

    /// <summary>Whether a line (a new one, from an event) passes the filter; <see cref="AfterSeq"/> and paging aside.</summary>
    public bool Matches(LogLineView line) =>
        (Levels.Count == 0 || Levels.Contains(line.Level))
        && (ItemKey is null || string.Equals(line.ItemKey, ItemKey, StringComparison.Ordinal))
        && (Text is null || line.Message.Contains(Text, StringComparison.OrdinalIgnoreCase));
}
