using System.Globalization;
using System.Text;
using System.Text.Json;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Views;
using BatchMonitor.Web.Endpoints.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BatchMonitor.Web.Endpoints;

/// <summary>
/// A batch's log: <c>GET /api/v1/batches/{id}/logs</c> (a page of lines, filtered by level, item and text) and
/// <c>GET …/logs/download</c> (the whole log as a file, text or NDJSON, streamed page by page). Viewers read both.
/// </summary>
public static class BatchLogEndpoints
{
    private const int FlushEvery = 500;

    /// <summary>What Windows, macOS or Linux refuse in a file name (and the quote of the header).</summary>
    private const string NotInFileNames = "\"\\/:*?<>|";

    public static void MapBatchLogs(this RouteGroupBuilder batches)
    {
        batches.MapGet("/{id:guid}/logs", ListAsync).WithName("ListBatchLogs")
            .WithSummary("A batch's log lines after a sequence number (or the newest, with tail=true), filtered by level, item and text")
            .WithDescription("An array of {seq, at, level, itemKey, message}, oldest first. level: one or several levels, repeated " +
                             "(level=warning&level=error) or comma-separated; a line matches any of them (not a minimum). Levels: " +
                             $"{string.Join(", ", Core.Domain.LogLevels.All)}. item: an item's key, exactly (the itemKey lines carry); a key the " +
                             "batch does not have is refused. q: text anywhere in the message, ignoring case (indexed for three characters " +
                             $"or more). afterSeq pages forward (the seq of the last line read); limit 1 to {LogQuery.MaxLimit} (default " +
                             $"{LogQuery.DefaultLimit}).");
        batches.MapGet("/{id:guid}/logs/download", DownloadAsync).WithName("DownloadBatchLog")
            .WithSummary("Download a batch's whole log (format=text, the default, or ndjson)")
            .WithDescription("text: one line per log line, 'at level itemKey message' (at in UTC ISO 8601, itemKey '-' for the batch's own " +
                             "lines, line breaks in a message written as \\n). ndjson: one JSON object per line as GET /logs shows it. " +
                             "Oldest first; an attachment named after the batch. Streamed as it is read, so any size downloads.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain", "application/x-ndjson");
    }

    private static async Task<Results<Ok<IReadOnlyList<LogLineView>>, ValidationProblem, ProblemHttpResult>> ListAsync(Guid id,
        BatchService service, long? afterSeq, int? limit, bool? tail, string[]? level, string? item, string? q, CancellationToken ct)
    {
        var errors = LogQuery.TryParse(level, item, q, afterSeq, limit, tail, out var query);
        if (!errors.IsValid) return ApiProblems.Invalid(errors);
        var read = await service.LogsAsync(id, query, ct);
        if (read.Errors is { } refused) return ApiProblems.Invalid(refused);
        return read.Lines is { } lines ? TypedResults.Ok(lines) : ApiProblems.NotFound();
    }

    private static async Task<Results<LogFile, ValidationProblem, ProblemHttpResult>> DownloadAsync(Guid id, BatchService service,
        string? format, CancellationToken ct)
    {
        var kind = (format ?? "text").Trim().ToLowerInvariant();
        if (kind is not ("text" or "ndjson")) return ApiProblems.Invalid("format", "format must be text or ndjson.");
        var batch = await service.GetAsync(id, ct);
        if (batch is null) return ApiProblems.NotFound();
        return new LogFile(batch, kind == "ndjson");
    }

    /// <summary>The file's name: the batch's name with what a file name cannot hold replaced, then <c>.log</c> or <c>.ndjson</c>.</summary>
    public static string FileName(BatchView batch, bool ndjson)
    {
        var name = new StringBuilder();
        foreach (var c in batch.Name.Trim())
            name.Append(char.IsControl(c) || NotInFileNames.Contains(c) ? '-' : c);
        var stem = name.ToString().Trim(' ', '.', '-');
        if (stem.Length > 100) stem = stem[..100].TrimEnd(' ', '.', '-');
        if (stem.Length == 0) stem = $"batch-{batch.Id}";
        return $"{stem}-log.{(ndjson ? "ndjson" : "txt")}";
    }

    public sealed class LogFile(BatchView batch, bool ndjson) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var ct = http.RequestAborted;
            var service = http.RequestServices.GetRequiredService<BatchService>();
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(FileName(batch, ndjson));
            http.Response.Headers.ContentDisposition = disposition.ToString();
            http.Response.ContentType = ndjson ? "application/x-ndjson; charset=utf-8" : "text/plain; charset=utf-8";
            var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), bufferSize: 16 * 1024, leaveOpen: true);
            var count = 0;
            await foreach (var line in service.DownloadLogAsync(batch.Id, ct: ct))
            {
                await writer.WriteAsync(ndjson ? JsonSerializer.Serialize(line, json) : TextLine(line));
                await writer.WriteAsync('\n');
                if (++count % FlushEvery == 0) await writer.FlushAsync(ct);
            }
            await writer.FlushAsync(ct);
        }
    }

    /// <summary>One log line as text: <c>at level itemKey message</c>, on one line whatever the message holds.</summary>
    public static string TextLine(LogLineView line) =>
        string.Join(' ', line.At.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), line.Level,
            OneLine(line.ItemKey ?? "-"), OneLine(line.Message));

    private static string OneLine(string text) =>
        text.Contains('\n') || text.Contains('\r') ? text.Replace("\r", "\\r").Replace("\n", "\\n") : text;
}
