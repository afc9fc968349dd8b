using System.Text;
using BatchMonitor.Core.Services;

namespace BatchMonitor.Web.Components.Batches;

/// <summary>Items read from what a user gave, each with the line it came from (so an error can name the line).</summary>
public sealed record ParsedItems(IReadOnlyList<ItemInput> Items, IReadOnlyList<int> Lines, int Groups, string? Problem = null)
{
    public static readonly ParsedItems None = new([], [], 0);
}

/// <summary>
/// Turns pasted lines and uploaded .txt/.csv files into items. A line of pasted text or of a .txt file is one key.
/// In a .csv file the first column is the key; a header row naming <c>key</c> and/or <c>group</c> picks those columns.
/// Blank lines are skipped.
/// </summary>
public static class ItemSource
{
    public static ParsedItems FromLines(string? text)
    {
        var items = new List<ItemInput>();
        var lines = new List<int>();
        var number = 0;
        foreach (var raw in (text ?? "").Split('\n'))
        {
            number++;
            var key = raw.TrimEnd('\r').Trim();
            if (key.Length == 0) continue;
            items.Add(new ItemInput(key));
            lines.Add(number);
        }
        return new ParsedItems(items, lines, 0);
    }

    public static ParsedItems FromFile(string fileName, string content)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (extension == ".txt") return FromLines(content);
        if (extension != ".csv") return ParsedItems.None with { Problem = "Upload a .txt file (one key per line) or a .csv file." };

        var rows = ParseCsv(content);
        if (rows.Count == 0) return ParsedItems.None with { Problem = "The file has no rows." };
        var header = rows[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var hasHeader = header.Contains("key") || header.Contains("group");
        var keyColumn = hasHeader && header.IndexOf("key") is >= 0 and var k ? k : 0;
        var groupColumn = hasHeader ? header.IndexOf("group") : -1;

        var items = new List<ItemInput>();
        var lines = new List<int>();
        var groups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, fields) in rows.Skip(hasHeader ? 1 : 0))
        {
            if (fields.All(f => f.Trim().Length == 0)) continue;
            var key = keyColumn < fields.Count ? fields[keyColumn].Trim() : "";
            var group = groupColumn >= 0 && groupColumn < fields.Count ? fields[groupColumn].Trim() : null;
            if (string.IsNullOrEmpty(group)) group = null;
            else groups.Add(group);
            items.Add(new ItemInput(key, group));
            lines.Add(line);
        }
        return new ParsedItems(items, lines, groups.Count);
    }

    /// <summary>RFC 4180 rows (quoted fields may hold commas, quotes and line breaks), each with the line it starts on.</summary>
    public static List<(int Line, List<string> Fields)> ParseCsv(string content)
    {
        var rows = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var line = 1;
        var rowLine = 1;
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < content.Length && content[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"') quoted = false;
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    rows.Add((rowLine, fields));
                    fields = [];
                    line++;
                    rowLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            rows.Add((rowLine, fields));
        }
        return rows;
    }
}
