using System.Diagnostics;
using System.Globalization;
using System.Net;
using BatchMonitor.Core;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Bench;

/// <summary>
/// A batch's log read with filters over a big log (by default one batch of 200,000 lines among 10 other batches of
/// 30,000 lines each, on SQLite): p50/p99 of GET …/logs with each filter through HTTP, one client at a time, beside
/// the same text found without the index (a LIKE scan of the batch's lines, SQL on the file), then the whole log
/// downloaded as text with the managed heap sampled while it streams.
/// The database is built once per run and deleted after, unless <c>--db FILE</c> names where to keep it: a run finding
/// that file copies it and measures the copy.
/// Options: --lines 200000 --others 10 --other-lines 30000 --requests 40 --db /tmp/bm-logs.db
/// </summary>
internal static class LogReads
{
    private const string ApiKey = "bench-logs-key-0000000001";
    private const int Items = 5000;

    public static async Task<int> RunAsync(string[] args)
    {
        var lines = BenchOptions.Int(args, "--lines", 200_000);
        var others = BenchOptions.Int(args, "--others", 10);
        var otherLines = BenchOptions.Int(args, "--other-lines", 30_000);
        var requests = BenchOptions.Int(args, "--requests", 40);
        var kept = BenchOptions.Text(args, "--db");
        var path = Path.Combine(Path.GetTempPath(), $"bm-logs-{Guid.NewGuid():N}.db");
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        try
        {
            var build = Stopwatch.StartNew();
            string built;
            if (kept is not null && File.Exists(kept))
            {
                File.Copy(kept, path);
                built = $"copied from {kept}";
            }
            else
            {
                await BuildAsync(path, lines, others, otherLines);
                built = $"built in {build.Elapsed.TotalSeconds:0} s";
                if (kept is not null)
                {
                    SqliteConnection.ClearAllPools();
                    File.Copy(path, kept);
                    built += $", kept in {kept}";
                }
            }
            var (big, bigLines) = await BigAsync(path);
            lines = bigLines;
            if (args.Contains("--plans"))
            {
                await PlanAsync(path, big, "checksum mismatch", tail: false);
                await PlanAsync(path, big, "account", tail: true);
            }
            Console.WriteLine($"logs: one batch of {lines:N0} lines ({Items:N0} items) among {others} batches of {otherLines:N0} lines " +
                              $"({built}), SQLite, HTTP on Kestrel, {Environment.ProcessorCount} cores; {requests} requests per call");
            await using var server = new LogServer(path);
            using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
            client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);

            var logs = $"/api/v1/batches/{big}/logs";
            var calls = new (string Name, Func<Task<double>> Run)[]
            {
                ("tail 200", () => GetAsync(client, $"{logs}?tail=true&limit=200")),
                ("first 200", () => GetAsync(client, $"{logs}?limit=200")),
                ("level=error (1%)", () => GetAsync(client, $"{logs}?level=error&limit=200")),
                ("level=warning,error", () => GetAsync(client, $"{logs}?level=warning&level=error&tail=true&limit=200")),
                ("item=key (40 lines)", () => GetAsync(client, $"{logs}?item=key-2500&limit=200")),
                ("q=rare (10 match)", () => GetAsync(client, $"{logs}?q=checksum%20mismatch&limit=200")),
                ("q=rare, LIKE scan", () => LikeScanAsync(path, big, "%checksum mismatch%")),
                ("q=common (90%)", () => GetAsync(client, $"{logs}?q=account&tail=true&limit=200")),
                ("q=other batches only", () => GetAsync(client, $"{logs}?q=from%20upstream&limit=200")),
                ("q=other, LIKE scan", () => LikeScanAsync(path, big, "%from upstream%")),
                ("q=2 chars (scan)", () => GetAsync(client, $"{logs}?q=zq&limit=200")),
                ("q+level+item", () => GetAsync(client, $"{logs}?q=quota&level=error&item=key-0100&limit=200")),
            };
            foreach (var (_, run) in calls) await run(); // warm-up: JIT, plans, pages; not reported

            Console.WriteLine($"{"call",-22} {"p50 ms",8} {"p99 ms",8}");
            foreach (var (name, run) in calls)
            {
                var times = new List<double>();
                for (var i = 0; i < requests; i++) times.Add(await run());
                Console.WriteLine($"{name,-22} {P(times, 0.5),8:0.0} {P(times, 0.99),8:0.0}");
            }

            await DownloadAsync(client, big, lines);
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        }
    }

    /// <summary>
    /// The whole log as text, twice: once timed, once with a full collection every 2 MB received, whose largest live
    /// managed heap (client and server share the process) says whether the log sits in memory while it streams.
    /// </summary>
    private static async Task DownloadAsync(HttpClient client, Guid big, int lines)
    {
        var clock = Stopwatch.StartNew();
        var (bytes, newlines, first) = await ReadAllAsync(client, big, null);
        var total = clock.Elapsed;
        if (newlines != lines) throw new InvalidOperationException($"The download had {newlines} lines, not {lines}.");
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var peak = before;
        await ReadAllAsync(client, big, () => peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true)));
        Console.WriteLine($"download: {newlines:N0} lines, {bytes / 1e6:0.0} MB in {total.TotalSeconds:0.00} s " +
                          $"({newlines / total.TotalSeconds:N0} lines/s, first byte {first:0} ms); live managed heap while it streams " +
                          $"at most {(peak - before) / 1e6:0.0} MB above before it (the log is {bytes / 1e6:0.0} MB)");
    }

    private static async Task<(long Bytes, long Lines, double FirstMs)> ReadAllAsync(HttpClient client, Guid big, Action? every2Mb)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync($"/api/v1/batches/{big}/logs/download", HttpCompletionOption.ResponseHeadersRead);
        var first = clock.Elapsed.TotalMilliseconds;
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long bytes = 0, newlines = 0, next = 2_000_000;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            for (var i = 0; i < read; i++) if (buffer[i] == (byte)'\n') newlines++;
            if (every2Mb is not null && bytes >= next)
            {
                every2Mb();
                next += 2_000_000;
            }
        }
        return (bytes, newlines, first);
    }

    /// <summary>The query plan SQLite (the app's own build) makes for a text search of the big batch, as the service composes it.</summary>
    private static async Task PlanAsync(string path, Guid big, string text, bool tail)
    {
        var options = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<BatchMonitorDbContext>()
            .UseSqlite($"Data Source={path}").Options;
        await using var db = new BatchMonitorDbContext(options);
        var lines = LogSearch.Matching(db, text, 1, long.MaxValue).Where(l => l.BatchId == big && l.Seq > 0);
        var page = (tail ? lines.OrderByDescending(l => l.Seq) : lines.OrderBy(l => l.Seq)).Take(200);
        await using var command = page.CreateDbCommand();
        Console.WriteLine(command.CommandText);
        await db.Database.OpenConnectionAsync();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) Console.WriteLine($"  plan: {reader.GetString(3)}");
    }

    /// <summary>The big batch (named "big log") and its number of lines.</summary>
    private static async Task<(Guid Id, int Lines)> BigAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, (SELECT COUNT(*) FROM log_lines l WHERE l.batch_id = b.id) FROM batches b WHERE name = 'big log'";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var answer = (Guid.Parse(reader.GetString(0)), reader.GetInt32(1));
        SqliteConnection.ClearPool(connection);
        return answer;
    }

    /// <summary>The same text found without the index: every line of the batch read and matched (what ?q= would cost unindexed).</summary>
    private static async Task<double> LikeScanAsync(string path, Guid batch, string like)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, at, level, item_key, message FROM log_lines WHERE batch_id = $b AND message LIKE $like ORDER BY seq LIMIT 200";
        command.Parameters.AddWithValue("$b", batch.ToString().ToUpperInvariant());
        command.Parameters.AddWithValue("$like", like);
        var clock = Stopwatch.StartNew();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
        }
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double P(List<double> values, double share)
    {
        values.Sort();
        return values[Math.Min(values.Count - 1, (int)Math.Ceiling(share * values.Count) - 1)];
    }

    private static async Task<double> GetAsync(HttpClient client, string path)
    {
        var clock = Stopwatch.StartNew();
        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await client.GetAsync(path);
            body = await response.Content.ReadAsByteArrayAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{path}: no answer after {clock.Elapsed.TotalSeconds:0} s", e);
        }
        using var _ = response;
        var ms = clock.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {body.Length} bytes");
        return ms;
    }

    /// <summary>
    /// Batches made by the product (BatchService, engine stopped; the migrations make the index), then their lines
    /// written in SQL as the engine's writer does (one insert each, the triggers index them), interleaved: a batch
    /// that ran beside others has its lines spread over a wide range of sequence numbers. Every batch is then completed
    /// (its items succeeded), so the app's engine has nothing to run while it is measured.
    /// </summary>
    private static async Task BuildAsync(string path, int lines, int others, int otherLines)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddBatchMonitorCore(new StorageOptions { ConnectionString = $"Data Source={path}" }, new EngineOptions());
        var ids = new List<Guid>();
        await using (var provider = services.BuildServiceProvider())
        {
            await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
            await using var scope = provider.CreateAsyncScope();
            var service = scope.ServiceProvider.GetRequiredService<BatchService>();
            for (var b = 0; b <= others; b++)
            {
                var created = await service.CreateAsync(new CreateBatchRequest
                {
                    Name = b == 0 ? "big log" : $"other-{b}",
                    Handler = "demo",
                    Items = Enumerable.Range(0, b == 0 ? Items : 10).Select(i => new ItemInput($"key-{i:D4}")).ToList(),
                }, Actor.Admin("bench"));
                if (!created.IsOk) throw new InvalidOperationException(created.Errors?.ToString());
                ids.Add(created.Batch!.Id);
            }
        }
        SqliteConnection.ClearAllPools();

        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var tx = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO log_lines (batch_id, at, level, item_key, message) VALUES ($b, $at, $level, $key, $message)";
        var batchId = insert.Parameters.Add("$b", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Text);
        var level = insert.Parameters.Add("$level", SqliteType.Text);
        var key = insert.Parameters.Add("$key", SqliteType.Text);
        var message = insert.Parameters.Add("$message", SqliteType.Text);
        insert.Prepare();
        var start = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        var perOther = Math.Max(1, lines / Math.Max(1, otherLines)); // big-batch lines per other-batch line, to interleave them
        long written = 0;
        for (var i = 0; i < lines; i++)
        {
            var (lv, msg) = BigLine(i);
            await WriteAsync(ids[0], lv, $"key-{i % Items:D4}", msg);
            if (others > 0 && i % perOther == 0)
                for (var b = 1; b <= others; b++)
                    await WriteAsync(ids[b], i % 7 == 0 ? "warning" : "info", $"key-{i % 10:D4}",
                        i % 7 == 0 ? $"Attempt 1 of 3 failed: HTTP 503 from upstream. Next attempt in 1 s." : $"Fetched page {i} of the account");
        }
        await using var finish = connection.CreateCommand();
        finish.Transaction = tx;
        finish.CommandText = """
            UPDATE batch_items SET status = 'succeeded', attempts = 1, duration_ms = 5;
            UPDATE batches SET status = 'completed', succeeded = total, pending = 0, started_at = created_at, finished_at = created_at;
            """;
        await finish.ExecuteNonQueryAsync();
        await tx.CommitAsync();

        async Task WriteAsync(Guid batch, string lv, string? itemKey, string msg)
        {
            batchId.Value = batch.ToString().ToUpperInvariant();
            at.Value = start.AddMilliseconds(written++).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            level.Value = lv;
            key.Value = (object?)itemKey ?? DBNull.Value;
            message.Value = msg;
            await insert.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The big batch's i-th line: 1% errors, 9% warnings, a third debug, the rest info; ten lines say "checksum mismatch".</summary>
    private static (string Level, string Message) BigLine(int i) => i switch
    {
        _ when i % 20_000 == 7 => ("error", $"checksum mismatch in block {i}"),
        _ when i % 100 == 0 => ("error", $"Failed after 3 attempt(s): quota exceeded for tenant {i % 37}"),
        _ when i % 10 == 0 => ("warning", "Attempt 1 of 3 failed: connection reset by peer. Next attempt in 1 s."),
        _ when i % 3 == 0 => ("debug", $"Cache hit for the account's page {i}"),
        _ => ("info", $"Fetched page {i} of the account in {i % 900} ms"),
    };

    /// <summary>The app on a real port over the built database, with an API key from the bootstrap settings.</summary>
    private sealed class LogServer : RealPortApp
    {
        private readonly string _path;

        public LogServer(string path)
        {
            _path = path;
            Start();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:BatchMonitor", $"Data Source={_path}");
            builder.UseSetting("BatchMonitor:Bootstrap:AdminEmail", "bench@batchmonitor.test");
            builder.UseSetting("BatchMonitor:Bootstrap:AdminPassword", "Bench-logs-0000001");
            builder.UseSetting("BatchMonitor:Bootstrap:ApiKey", ApiKey);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }
}
