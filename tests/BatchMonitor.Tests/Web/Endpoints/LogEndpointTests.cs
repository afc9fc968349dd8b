using System.Globalization;
using System.Net;
using System.Text.Json;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Storage;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>GET …/logs with its filters and GET …/logs/download (text and NDJSON): viewers read, bad input is a field error.</summary>
public sealed class LogEndpointTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    /// <summary>Two items that fail twice each: per item a warning (attempt 1) and an error (the last), four lines in all.</summary>
    private async Task<Guid> FailedBatchAsync(string name = "Nightly ranking")
    {
        var batch = await app.CreateBatchAsync(new
        {
            name, handler = "demo", items = new[] { "acct-1", "acct 2" }, args = new { minMs = 0, maxMs = 0, failureRate = 1 },
            options = new { maxAttempts = 2, retryBaseDelayMs = 0 },
        });
        await app.WaitForStatusAsync(batch.Id, "completed");
        return batch.Id;
    }

    private async Task<List<JsonElement>> LinesAsync(Guid id, string query = "")
    {
        var response = await app.Viewer().GetAsync($"/api/v1/batches/{id}/logs{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
    }

    [Fact]
    public async Task A_viewer_filters_the_log_by_levels_an_item_and_text_and_the_lines_keep_their_fields()
    {
        var id = await FailedBatchAsync();

        var all = await LinesAsync(id);
        Assert.Equal(4, all.Count);
        Assert.Equal(["seq", "at", "level", "itemKey", "message"], all[0].EnumerateObject().Select(p => p.Name));
        Assert.All(all, l => Assert.EndsWith("Z", l.GetProperty("at").GetString()));
        Assert.Equal(2, (await LinesAsync(id, "?level=error")).Count);
        Assert.Equal(4, (await LinesAsync(id, "?level=warning&level=error")).Count);
        Assert.Equal(4, (await LinesAsync(id, "?level=WARNING,error")).Count);
        Assert.Empty(await LinesAsync(id, "?level=debug"));
        var item = await LinesAsync(id, "?item=acct%202");
        Assert.Equal(2, item.Count);
        Assert.All(item, l => Assert.Equal("acct 2", l.GetProperty("itemKey").GetString()));
        Assert.Equal(4, (await LinesAsync(id, "?q=SIMULATED%20failure")).Count);
        var last = Assert.Single(await LinesAsync(id, "?item=acct-1&level=error&q=failed%20after"));
        Assert.StartsWith("Failed after 2 attempt(s): Simulated failure", last.GetProperty("message").GetString());
        Assert.Empty(await LinesAsync(id, "?q=nothing%20like%20this"));
        Assert.Equal(2, (await LinesAsync(id, $"?afterSeq={all[1].GetProperty("seq").GetInt64()}")).Count);
    }

    [Fact]
    public async Task Bad_filters_are_field_errors_an_unknown_batch_is_404_and_anonymous_is_401()
    {
        var id = await FailedBatchAsync();

        var problem = await (await app.Viewer().GetAsync($"/api/v1/batches/{id}/logs?level=fatal&level=info&limit=0"))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["level", "limit"], problem.ErrorFields().Order());
        Assert.Contains("debug, info, warning, error", problem.GetProperty("errors").GetProperty("level")[0].GetString());
        problem = await (await app.Viewer().GetAsync($"/api/v1/batches/{id}/logs?item=acct-9")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["item"], problem.ErrorFields());
        problem = await (await app.Viewer().GetAsync($"/api/v1/batches/{id}/logs/download?format=csv")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["format"], problem.ErrorFields());
        await (await app.Viewer().GetAsync($"/api/v1/batches/{Guid.NewGuid()}/logs?level=error")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.Viewer().GetAsync($"/api/v1/batches/{Guid.NewGuid()}/logs/download")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.Anonymous().GetAsync($"/api/v1/batches/{id}/logs/download")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_download_is_the_whole_log_as_text_lines_named_after_the_batch()
    {
        var id = await FailedBatchAsync("Nightly: ranking/eu");

        var response = await app.Viewer().GetAsync($"/api/v1/batches/{id}/logs/download");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("Nightly- ranking-eu-log.txt", disposition.FileName!.Trim('"'));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var api = await LinesAsync(id);
        Assert.Equal(api.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = api[i];
            var at = line.GetProperty("at").GetDateTime().ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            Assert.Equal($"{at} {line.GetProperty("level").GetString()} {line.GetProperty("itemKey").GetString()} " +
                         line.GetProperty("message").GetString(), lines[i]);
        }
    }

    [Fact]
    public async Task The_ndjson_download_is_one_api_line_per_row_across_many_pages_with_line_breaks_kept_in_json()
    {
        var id = await FailedBatchAsync("multi-page");
        const int extra = 4500; // more than two of the download's pages
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync())
        {
            db.LogLines.AddRange(Enumerable.Range(0, extra).Select(i =>
                new LogLine(id, DateTime.UtcNow, LogLevels.Info, null, i == 0 ? "two\nlines" : $"extra {i}")));
            await db.SaveChangesAsync();
        }

        var response = await app.Viewer().GetAsync($"/api/v1/batches/{id}/logs/download?format=ndjson");
        var text = await app.Viewer().GetStringAsync($"/api/v1/batches/{id}/logs/download");

        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("multi-page-log.ndjson", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var rows = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(r => JsonDocument.Parse(r).RootElement).ToList();
        Assert.Equal(4 + extra, rows.Count);
        Assert.Equal(rows.Select(r => r.GetProperty("seq").GetInt64()).Order(), rows.Select(r => r.GetProperty("seq").GetInt64()));
        Assert.Equal(["seq", "at", "level", "itemKey", "message"], rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("two\nlines", rows[4].GetProperty("message").GetString());
        Assert.Equal($"extra {extra - 1}", rows[^1].GetProperty("message").GetString());
        var textLines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4 + extra, textLines.Length);
        Assert.EndsWith(" info - two\\nlines", textLines[4]);
    }
}
