using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Services;

/// <summary>
/// A batch's log read with filters (levels, an item, text in the message from the index) and downloaded page by page,
/// on both providers; the live filter (<see cref="LogQuery.Matches"/>) keeps exactly the lines a read returns. On SQLite
/// the FTS5 table is checked against its content with FTS5's own integrity check.
/// </summary>
public class BatchLogTests
{
    /// <summary>SQLite here, PostgreSQL in BatchLogTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    private static readonly (string Level, string? Key, string Message)[] Sample =
    [
        (LogLevels.Info, null, "Batch started on node-1."),
        (LogLevels.Debug, "k0", "Connecting to the Remote end"),
        (LogLevels.Warning, "k1", "Attempt 1 of 3 failed: HTTP 503 Service Unavailable. Next attempt in 1 s."),
        (LogLevels.Info, "k1", "Looked up 50% of the rows_"),
        (LogLevels.Error, "k2", "Failed after 3 attempt(s): TIMEOUT after 30 s"),
        (LogLevels.Warning, "k2", "Quota nearly exceeded"),
        (LogLevels.Error, "k1", "Failed after 3 attempt(s): HTTP 503 Service Unavailable"),
        (LogLevels.Info, null, "3 items of group 'eu' failed in a row; its remaining items are skipped."),
    ];

    [Fact]
    public async Task Levels_an_item_and_text_each_narrow_the_lines_and_together_all_apply()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var batch = await h.CreateAsync(3);
        var other = await h.CreateAsync(3);
        await WriteAsync(h, other.Id, Sample);
        await WriteAsync(h, batch.Id, Sample);
        await WriteAsync(h, other.Id, Sample);

        Assert.Equal(Sample.Select(s => s.Message), await MessagesAsync(h, batch.Id, new LogQuery()));
        Assert.Equal([Sample[4].Message, Sample[6].Message], await MessagesAsync(h, batch.Id, new LogQuery { Levels = [LogLevels.Error] }));
        Assert.Equal([Sample[2].Message, Sample[4].Message, Sample[5].Message, Sample[6].Message],
            await MessagesAsync(h, batch.Id, new LogQuery { Levels = [LogLevels.Warning, LogLevels.Error] }));
        Assert.Equal([Sample[2].Message, Sample[3].Message, Sample[6].Message], await MessagesAsync(h, batch.Id, new LogQuery { ItemKey = "k1" }));
        Assert.Equal([Sample[2].Message, Sample[6].Message], await MessagesAsync(h, batch.Id, new LogQuery { Text = "service unavail" }));
        Assert.Equal([Sample[4].Message], await MessagesAsync(h, batch.Id, new LogQuery { Text = "timeout AFTER" }));
        Assert.Equal([Sample[3].Message], await MessagesAsync(h, batch.Id, new LogQuery { Text = "0%" })); // shorter than a trigram: a scan
        Assert.Equal([Sample[3].Message], await MessagesAsync(h, batch.Id, new LogQuery { Text = "rows_" })); // LIKE's wildcards are plain text
        Assert.Empty(await MessagesAsync(h, batch.Id, new LogQuery { Text = "row%s" }));
        Assert.Equal([Sample[6].Message],
            await MessagesAsync(h, batch.Id, new LogQuery { Levels = [LogLevels.Error], ItemKey = "k1", Text = "503" }));
        Assert.Empty(await MessagesAsync(h, batch.Id, new LogQuery { Levels = [LogLevels.Debug], ItemKey = "k1" }));
        await AssertIndexInStepAsync(h);
    }

    [Fact]
    public async Task Filtered_lines_page_forward_after_a_seq_and_the_tail_is_the_newest_that_match()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var batch = await h.CreateAsync(2);
        var lines = Enumerable.Range(0, 30).Select(i => (i % 3 == 0 ? LogLevels.Error : LogLevels.Info, (string?)$"k{i % 2}", $"line {i:00} of the run"))
            .ToArray();
        await WriteAsync(h, batch.Id, lines);
        var errors = new LogQuery { Levels = [LogLevels.Error], Text = "of the run", Limit = 4 };

        var first = (await h.Batches.LogsAsync(batch.Id, errors)).Lines!;
        var second = (await h.Batches.LogsAsync(batch.Id, errors with { AfterSeq = first[^1].Seq })).Lines!;
        var tail = (await h.Batches.LogsAsync(batch.Id, errors with { Tail = true })).Lines!;

        Assert.Equal(["line 00 of the run", "line 03 of the run", "line 06 of the run", "line 09 of the run"], first.Select(l => l.Message));
        Assert.Equal(["line 12 of the run", "line 15 of the run", "line 18 of the run", "line 21 of the run"], second.Select(l => l.Message));
        Assert.Equal(["line 18 of the run", "line 21 of the run", "line 24 of the run", "line 27 of the run"], tail.Select(l => l.Message));
    }

    [Fact]
    public async Task The_live_filter_keeps_exactly_the_lines_a_read_returns()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var batch = await h.CreateAsync(3);
        await WriteAsync(h, batch.Id, Sample);
        var all = (await h.Batches.LogsAsync(batch.Id, new LogQuery())).Lines!;
        LogQuery[] queries =
        [
            new() { Levels = [LogLevels.Warning] }, new() { ItemKey = "k2" }, new() { Text = "FAILED" }, new() { Text = "ed" },
            new() { Text = "remote END" }, new() { Levels = [LogLevels.Info, LogLevels.Debug], Text = "o" },
            new() { ItemKey = "k1", Text = "http 503" },
        ];

        foreach (var query in queries)
            Assert.Equal((await h.Batches.LogsAsync(batch.Id, query)).Lines!.Select(l => l.Seq), all.Where(query.Matches).Select(l => l.Seq));
    }

    [Fact]
    public async Task An_item_the_batch_does_not_have_is_refused_and_an_unknown_batch_is_not_found()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var batch = await h.CreateAsync(2);

        var unknownItem = await h.Batches.LogsAsync(batch.Id, new LogQuery { ItemKey = "k9" });
        var unknownBatch = await h.Batches.LogsAsync(Guid.NewGuid(), new LogQuery());
        var quiet = await h.Batches.LogsAsync(batch.Id, new LogQuery { Text = "anything at all" });

        Assert.True(unknownItem.Errors!.Has("item"));
        Assert.Null(unknownItem.Lines);
        Assert.Same(LogRead.NotFound, unknownBatch);
        Assert.Empty(quiet.Lines!);
    }

    [Fact]
    public async Task The_download_reads_the_whole_log_in_pages_oldest_first_and_only_this_batch()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var batch = await h.CreateAsync(1);
        var other = await h.CreateAsync(1);
        var lines = Enumerable.Range(0, 10).Select(i => (LogLevels.Info, (string?)"k0", $"line {i}")).ToArray();
        await WriteAsync(h, batch.Id, lines[..4]);
        await WriteAsync(h, other.Id, lines);
        await WriteAsync(h, batch.Id, lines[4..]);

        var read = new List<LogLineView>();
        await foreach (var line in h.Batches.DownloadLogAsync(batch.Id, pageSize: 3)) read.Add(line);

        Assert.Equal(lines.Select(l => l.Item3), read.Select(l => l.Message));
        Assert.Equal(read.Select(l => l.Seq).Order(), read.Select(l => l.Seq));
        var empty = new List<LogLineView>();
        await foreach (var line in h.Batches.DownloadLogAsync(Guid.NewGuid(), pageSize: 3)) empty.Add(line);
        Assert.Empty(empty);
    }

    [Fact]
    public async Task Deleting_a_batch_takes_its_lines_out_of_the_index()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var batch = await h.CreateAsync(1);
        var other = await h.CreateAsync(1);
        await WriteAsync(h, batch.Id, [(LogLevels.Error, "k0", "needle in the log")]);
        await WriteAsync(h, other.Id, [(LogLevels.Error, "k0", "needle in the other log")]);
        Assert.True((await h.Batches.CancelAsync(batch.Id, Actor.Admin("t"))).IsOk);

        Assert.True((await h.Batches.DeleteAsync(batch.Id, Actor.Admin("t"))).IsOk);

        Assert.Equal(["needle in the other log"], await MessagesAsync(h, other.Id, new LogQuery { Text = "needle" }));
        await AssertIndexInStepAsync(h);
        if (!Store.IsPostgres)
        {
            await using var connection = await h.Database.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM log_lines_search WHERE log_lines_search MATCH '\"needle\"'";
            Assert.Equal(1L, Convert.ToInt64(await command.ExecuteScalarAsync()));
        }
    }

    [Fact]
    public async Task On_sqlite_a_text_search_walks_the_index_in_order_and_looks_each_match_up_never_the_other_way_round()
    {
        if (Store.IsPostgres) return; // PostgreSQL plans its GIN index itself
        await using var h = await Store.HarnessAsync(start: false);
        var batch = await h.CreateAsync(1);
        await using var db = await h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        var lines = LogSearch.Matching(db, "checksum", 1, long.MaxValue).Where(l => l.BatchId == batch.Id && l.Seq > 0);

        foreach (var page in new[] { lines.OrderBy(l => l.Seq).Take(200), lines.OrderByDescending(l => l.Seq).Take(200) })
        {
            await using var command = page.CreateDbCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
            await db.Database.OpenConnectionAsync();
            var plan = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync()) plan.Add(reader.GetString(3));
            // The index first, each match's line by its key, and no sort of all matches (a page stops after its lines).
            Assert.StartsWith("SCAN s VIRTUAL TABLE", plan[0]);
            Assert.Contains(plan, p => p.StartsWith("SEARCH l USING INTEGER PRIMARY KEY", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, p => p.Contains("TEMP B-TREE", StringComparison.Ordinal));
        }
    }

    private static async Task<List<string>> MessagesAsync(EngineHarness h, Guid batchId, LogQuery query) =>
        (await h.Batches.LogsAsync(batchId, query)).Lines!.Select(l => l.Message).ToList();

    /// <summary>Lines as the engine's writer leaves them (one insert each, seq growing across batches).</summary>
    private static async Task WriteAsync(EngineHarness h, Guid batchId, IEnumerable<(string Level, string? Key, string Message)> lines)
    {
        await using var db = await h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        foreach (var (level, key, message) in lines)
        {
            db.LogLines.Add(new LogLine(batchId, h.Time.GetUtcNow().UtcDateTime, level, key, message));
            await db.SaveChangesAsync();
        }
    }

    /// <summary>FTS5's integrity check compares the external-content index with log_lines and fails on any difference.</summary>
    private async Task AssertIndexInStepAsync(EngineHarness h)
    {
        if (Store.IsPostgres) return;
        await using var connection = await h.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO log_lines_search(log_lines_search, rank) VALUES ('integrity-check', 1)";
        await command.ExecuteNonQueryAsync();
    }
}
