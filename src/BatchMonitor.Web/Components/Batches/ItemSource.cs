using BatchMonitor.Core.Importing;

namespace BatchMonitor.Web.Components.Batches;

/// <summary>
/// Items from what a user gives on a page: pasted lines, or an uploaded .txt or .csv file, read by Core's
/// <see cref="ItemTextParser"/> (a .csv's <c>key</c>, <c>group</c> and other columns become key, group and payload).
/// Any other kind of file is refused with a reason rather than read as lines.
/// </summary>
public static class ItemSource
{
    public static readonly ParsedItems None = new([], []);

    /// <summary>The file input's <c>accept</c>.</summary>
    public const string Accept = ".txt,.csv,text/plain,text/csv";

    public static ParsedItems FromLines(string? text) => ItemTextParser.ParseLines(text ?? "");

    public static ParsedItems FromFile(string fileName, string content) =>
        Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".txt" => ItemTextParser.ParseLines(content),
            ".csv" => ItemTextParser.ParseCsv(content),
            _ => new ParsedItems([], ["Upload a .txt file (one key per line) or a .csv file."]),
        };

    /// <summary>How many different groups the items name.</summary>
    public static int Groups(ParsedItems parsed) =>
        parsed.Items.Select(i => i.Group).OfType<string>().Distinct(StringComparer.Ordinal).Count();
}
