using System.Globalization;
using System.Text;
using System.Text.Json;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Json;
using BatchMonitor.Core.Views;

namespace BatchMonitor.Web.Components.Batches;

/// <summary>A batch's items with their results as CSV or JSON, written as they stream from the store.</summary>
public static class BatchExport
{
    private static readonly string[] CsvColumns =
        ["index", "key", "group", "status", "attempts", "startedAt", "finishedAt", "durationMs", "error", "result"];

    public static async Task WriteCsvAsync(IAsyncEnumerable<ItemView> items, Stream output, CancellationToken ct = default)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', CsvColumns));
        var line = new StringBuilder();
        await foreach (var item in items.WithCancellation(ct))
        {
            line.Clear();
            Append(line, item.Index.ToString(CultureInfo.InvariantCulture));
            Append(line, item.Key);
            Append(line, item.Group);
            Append(line, item.Status.Name());
            Append(line, item.Attempts.ToString(CultureInfo.InvariantCulture));
            Append(line, Time(item.StartedAt));
            Append(line, Time(item.FinishedAt));
            Append(line, item.DurationMs?.ToString(CultureInfo.InvariantCulture));
            Append(line, item.Error);
            Append(line, item.ResultJson);
            line.Length--;
            await writer.WriteLineAsync(line);
        }
    }

    public static async Task WriteJsonAsync(IAsyncEnumerable<ItemView> items, Stream output, CancellationToken ct = default)
    {
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        await foreach (var item in items.WithCancellation(ct))
        {
            JsonSerializer.Serialize(json, item, JsonDefaults.Options);
            if (json.BytesPending > 64 * 1024) await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        await json.FlushAsync(ct);
    }

    /// <summary>RFC 4180: quote a field that holds a comma, a quote or a line break; double the quotes inside.</summary>
    private static void Append(StringBuilder line, string? value)
    {
        value ??= "";
        if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0) line.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
        else line.Append(value);
        line.Append(',');
    }

    private static string? Time(DateTime? time) =>
        time?.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
