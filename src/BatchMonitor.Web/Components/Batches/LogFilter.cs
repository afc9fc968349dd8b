using BatchMonitor.Core.Domain;

namespace BatchMonitor.Web.Components.Batches;

/// <summary>
/// What the batch page's log panel is filtered by, as the page's address holds it (<c>logLevel</c>, <c>logItem</c>,
/// <c>logQ</c>): the chosen levels (comma-separated, in <see cref="LogLevels.All"/> order), an item's key and a text.
/// Empty parts are null, so two filters that show the same lines are equal.
/// </summary>
public sealed record LogFilter(string? Levels, string? Item, string? Text)
{
    public static readonly LogFilter None = new(null, null, null);

    /// <summary>From the address: unknown levels are left out (the address cannot mean them), blanks are null.</summary>
    public static LogFilter FromAddress(string? levels, string? item, string? text) =>
        Of(Split(levels).Select(word => LogLevels.All.FirstOrDefault(l => string.Equals(l, word, StringComparison.OrdinalIgnoreCase)))
            .OfType<string>(), item, text);

    /// <summary>From the panel's fields.</summary>
    public static LogFilter Of(IEnumerable<string> levels, string? item, string? text)
    {
        var chosen = LogLevels.All.Where(levels.Contains).ToList();
        return new LogFilter(chosen.Count == 0 ? null : string.Join(',', chosen),
            string.IsNullOrWhiteSpace(item) ? null : item,
            string.IsNullOrWhiteSpace(text) ? null : text.Trim());
    }

    /// <summary>The chosen levels, for the level chips.</summary>
    public IReadOnlyCollection<string> LevelList => [.. Split(Levels)];

    private static string[] Split(string? levels) =>
        (levels ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
