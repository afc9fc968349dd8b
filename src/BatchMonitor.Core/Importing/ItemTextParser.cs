using System.Text.Json.Nodes;
using BatchMonitor.Core.Services;

namespace BatchMonitor.Core.Importing;

/// <summary>What was read from pasted text or an uploaded file, and what could not be read (by line).</summary>
public sealed record ParsedItems(IReadOnlyList<ItemInput> Items, IReadOnlyList<string> Problems)
{
    /// <summary>The line (1-based) each item starts on, in the order of <see cref="Items"/>: an error about items[i] names its line.</summary>
    public IReadOnlyList<int> Lines { get; init; } = [];
}

/// <summary>
/// Turns pasted lines or an uploaded .txt/.csv into items.
/// <list type="bullet">
/// <item>Text: one key per line; blank lines are skipped; spaces around a key are trimmed.</item>
/// <item>CSV with a header row naming a <c>key</c> column: <c>group</c> is the group, every other column goes
/// into the payload as <c>{"column": "value"}</c>.</item>
/// <item>CSV without such a header: the first column is the key, the second (if any) the group, further
/// columns go into the payload as an array.</item>
/// </list>
/// </summary>
public static class ItemTextParser
{
    public const int MaxProblems = 20;

    public static ParsedItems Parse(string text, string? fileName = null)
    {
        var csv = fileName?.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) == true;
        return csv ? ParseCsv(text) : ParseLines(text);
    }

    public static ParsedItems ParseLines(string text)
    {
        var items = new List<ItemInput>();
        var lines = new List<int>();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            var key = line.Trim();
            if (key.Length == 0) continue;
            items.Add(new ItemInput(key));
            lines.Add(number);
        }
        return new ParsedItems(items, []) { Lines = lines };
    }

    public static ParsedItems ParseCsv(string text)
    {
        var items = new List<ItemInput>();
        var lines = new List<int>();
        var problems = new List<string>();
        string[]? header = null;
        int keyColumn = 0, groupColumn = 1;
        var first = true;
        foreach (var (line, fields) in CsvRecords.Read(text))
        {
            if (fields.All(string.IsNullOrWhiteSpace)) continue;
            if (first)
            {
                first = false;
                var keyAt = Array.FindIndex(fields, f => string.Equals(f, "key", StringComparison.OrdinalIgnoreCase));
                if (keyAt >= 0)
                {
                    header = fields;
                    keyColumn = keyAt;
                    groupColumn = Array.FindIndex(fields, f => string.Equals(f, "group", StringComparison.OrdinalIgnoreCase));
                    continue;
                }
            }
            var key = keyColumn < fields.Length ? fields[keyColumn] : "";
            if (key.Length == 0)
            {
                if (problems.Count < MaxProblems) problems.Add($"Line {line}: the key is empty.");
                continue;
            }
            var group = groupColumn >= 0 && groupColumn < fields.Length && fields[groupColumn].Length > 0 ? fields[groupColumn] : null;
            items.Add(new ItemInput(key, group, Payload(fields, header, keyColumn, groupColumn)));
            lines.Add(line);
        }
        return new ParsedItems(items, problems) { Lines = lines };
    }

    private static JsonNode? Payload(string[] fields, string[]? header, int keyColumn, int groupColumn)
    {
        if (header is not null)
        {
            var payload = new JsonObject();
            for (var i = 0; i < fields.Length && i < header.Length; i++)
            {
                if (i == keyColumn || i == groupColumn || header[i].Length == 0) continue;
                payload[header[i]] = fields[i];
            }
            return payload.Count == 0 ? null : payload;
        }
        if (fields.Length <= 2) return null;
        return new JsonArray(fields.Skip(2).Select(f => (JsonNode?)JsonValue.Create(f)).ToArray());
    }
}
