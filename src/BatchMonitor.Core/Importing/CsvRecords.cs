using System.Text;

namespace BatchMonitor.Core.Importing;

/// <summary>
/// Reads CSV as RFC 4180 describes it: fields in double quotes may hold separators, line breaks and doubled
/// quotes. The separator is the first of comma, semicolon or tab found on the first line (comma if none).
/// </summary>
internal static class CsvRecords
{
    /// <summary>Each record with the line it starts on (1-based).</summary>
    public static IEnumerable<(int Line, string[] Fields)> Read(string text)
    {
        var separator = DetectSeparator(text);
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var line = 1;
        var recordLine = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
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
            if (c == '"' && field.Length == 0) quoted = true;
            else if (c == separator)
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                fields.Add(field.ToString().Trim());
                field.Clear();
                yield return (recordLine, fields.ToArray());
                fields.Clear();
                line++;
                recordLine = line;
            }
            else field.Append(c);
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString().Trim());
            yield return (recordLine, fields.ToArray());
        }
    }

    private static char DetectSeparator(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var first = end < 0 ? text : text[..end];
        foreach (var candidate in new[] { ',', ';', '\t' })
        {
            if (first.Contains(candidate)) return candidate;
        }
        return ',';
    }
}
