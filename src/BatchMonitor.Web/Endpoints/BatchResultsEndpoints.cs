using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Views;
using BatchMonitor.Web.Endpoints.Infrastructure;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BatchMonitor.Web.Endpoints;

/// <summary>
/// <c>GET /api/v1/batches/{id}/results?format=csv|json</c>: every item with its result, as a download. Items are
/// read and written as they stream from the store (100,000 items never sit in memory at once).
/// <para>
/// JSON is the items exactly as the API shows them, keys verbatim. CSV is for spreadsheets, so a cell that starts
/// with <c>= + - @</c>, a tab or a carriage return is prefixed with <c>'</c> (CsvHelper's injection escaping):
/// a key such as <c>=HYPERLINK(…)</c> stays text instead of becoming a formula.
/// </para>
/// </summary>
public static class BatchResultsEndpoints
{
    private const int FlushEvery = 500;

    public static void MapBatchResults(this RouteGroupBuilder batches) =>
        batches.MapGet("/{id:guid}/results", ExportAsync).WithName("ExportBatchResults")
            .WithSummary("Download every item with its result (format=json, the default, or csv)")
            .WithDescription("JSON: an array of items as GET /items shows them. CSV: index, key, group, status, attempts, startedAt, " +
                             "finishedAt, durationMs, error, result (JSON text); cells that start like a formula get a leading '.")
            .Produces<ItemView[]>(StatusCodes.Status200OK, "application/json", "text/csv");

    private static async Task<Results<ExportResult, ValidationProblem, ProblemHttpResult>> ExportAsync(Guid id, BatchService service,
        string? format, CancellationToken ct)
    {
        var kind = (format ?? "json").Trim().ToLowerInvariant();
        if (kind is not ("json" or "csv")) return ApiProblems.Invalid("format", "format must be csv or json.");
        var batch = await service.GetAsync(id, ct);
        if (batch is null) return ApiProblems.NotFound();
        return new ExportResult(batch, kind == "csv");
    }

    public sealed class ExportResult(BatchView batch, bool csv) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var ct = http.RequestAborted;
            var service = http.RequestServices.GetRequiredService<BatchService>();
            var items = service.ExportAsync(batch.Id, ct);
            var name = $"batch-{batch.Id}-results.{(csv ? "csv" : "json")}";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
            if (csv)
            {
                http.Response.ContentType = "text/csv; charset=utf-8";
                await WriteCsvAsync(http.Response.Body, items, ct);
            }
            else
            {
                http.Response.ContentType = "application/json; charset=utf-8";
                var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
                await WriteJsonAsync(http.Response.BodyWriter, items, json, ct);
            }
        }
    }

    /// <summary>Writes into the response pipe (never blocking on I/O) and sends what is written every few hundred items.</summary>
    private static async Task WriteJsonAsync(PipeWriter body, IAsyncEnumerable<ItemView> items, JsonSerializerOptions options, CancellationToken ct)
    {
        await using var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = options.Encoder });
        writer.WriteStartArray();
        var count = 0;
        await foreach (var item in items.WithCancellation(ct))
        {
            JsonSerializer.Serialize(writer, item, options);
            if (++count % FlushEvery == 0)
            {
                writer.Flush();
                await body.FlushAsync(ct);
            }
        }
        writer.WriteEndArray();
        writer.Flush();
        await body.FlushAsync(ct);
    }

    private static async Task WriteCsvAsync(Stream body, IAsyncEnumerable<ItemView> items, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(body, CsvWriterOptions.Default with { Injection = CsvInjection.Escape, NewLine = "\n" },
            leaveOpen: true);
        csv.WriteHeader(Columns);
        var count = 0;
        await foreach (var item in items.WithCancellation(ct))
        {
            csv.WriteField(item.Index.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(item.Key);
            csv.WriteField(item.Group);
            csv.WriteField(Core.Domain.StatusNames.Name(item.Status));
            csv.WriteField(item.Attempts.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(Time(item.StartedAt));
            csv.WriteField(Time(item.FinishedAt));
            csv.WriteField(item.DurationMs?.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(item.Error);
            csv.WriteField(item.ResultJson);
            await csv.EndRecordAsync(ct);
            if (++count % FlushEvery == 0) await csv.FlushAsync(ct);
        }
        await csv.FlushAsync(ct);
    }

    private static readonly string[] Columns = ["index", "key", "group", "status", "attempts", "startedAt", "finishedAt", "durationMs", "error", "result"];

    private static string? Time(DateTime? time) => time?.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
