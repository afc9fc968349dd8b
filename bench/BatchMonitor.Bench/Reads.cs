extern alias web;

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
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Bench;

/// <summary>
/// The API's reads over a big database (by default 10,000 batches, 1,000,000 items: a third completed, some with
/// failed items and error texts, a tenth paused part-way, the rest cancelled): p50/p99 of each list, filter, sort, page and search, first one client
/// at a time, then with 20 concurrent clients. The database is built once per run and deleted after, unless
/// <c>--db FILE</c> names where to keep it: a run finding that file copies it and measures the copy (the app
/// migrates the copy at start, so a database built before a migration measures the migrated schema; the file
/// itself stays as it was built).
/// Options: --batches 10000 --items 100 --requests 60 --clients 20 --db /tmp/bm-reads.db
/// </summary>
internal static class Reads
{
    private const string ApiKey = "bench-reads-key-000000001";

    public static async Task<int> RunAsync(string[] args)
    {
        var batches = BenchOptions.Int(args, "--batches", 10_000);
        var items = BenchOptions.Int(args, "--items", 100);
        var requests = BenchOptions.Int(args, "--requests", 60);
        var clients = BenchOptions.Int(args, "--clients", 20);
        var kept = BenchOptions.Text(args, "--db");
        var path = Path.Combine(Path.GetTempPath(), $"bm-reads-{Guid.NewGuid():N}.db");
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
                await BuildAsync(path, batches, items);
                built = $"built in {build.Elapsed.TotalSeconds:0} s";
                if (kept is not null)
                {
                    SqliteConnection.ClearAllPools();
                    File.Copy(path, kept);
                    built += $", kept in {kept}";
                }
            }
            var (big, someKey, batchCount, itemCount) = await ShapeAsync(path);
            Console.WriteLine($"reads: {batchCount:N0} batches, {itemCount:N0} items ({built}), " +
                              $"HTTP on Kestrel, {Environment.ProcessorCount} cores; {requests} requests per call");
            await using var server = new ReadServer(path);
            using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
            client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);

            var calls = new (string Name, string Path)[]
            {
                ("list", "/api/v1/batches?limit=50"),
                ("status=completed", "/api/v1/batches?status=completed&limit=50"),
                ("orderBy=-progress", "/api/v1/batches?orderBy=-progress&limit=50"),
                ("offset=9000", "/api/v1/batches?offset=9000&limit=50"),
                ("q=name", "/api/v1/batches?q=batch-04217&limit=50"),
                ("q=item key", $"/api/v1/batches?q={someKey}&limit=50"),
                ("q=error text", "/api/v1/batches?q=timeout&limit=50"),
                ("q=error, 476 match", "/api/v1/batches?q=503%20from%20upstream&limit=50"),
                ("q=every batch", "/api/v1/batches?q=batch-&limit=50"),
                ("batch", $"/api/v1/batches/{big}"),
                ("items", $"/api/v1/batches/{big}/items?limit=50"),
                ("items offset", $"/api/v1/batches/{big}/items?offset={itemCount / batchCount / 2}&limit=50"),
                ("items failed", $"/api/v1/batches/{big}/items?status=failed&limit=50"),
                ("logs", $"/api/v1/batches/{big}/logs?limit=200"),
                ("stats", "/api/v1/stats?window=1h"),
            };
            foreach (var (_, call) in calls) await GetAsync(client, call); // warm-up: JIT, plans, pages; not reported

            Console.WriteLine($"{"call",-20} {"p50 ms",8} {"p99 ms",8} {"p50 ms x" + clients,12} {"p99 ms x" + clients,12}");
            foreach (var (name, call) in calls)
            {
                var alone = new List<double>();
                for (var i = 0; i < requests; i++) alone.Add(await GetAsync(client, call));
                var loaded = new List<double>();
                var gate = new Lock();
                await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
                {
                    for (var i = 0; i < Math.Max(3, requests / 4); i++)
                    {
                        var ms = await GetAsync(client, call);
                        lock (gate) loaded.Add(ms);
                    }
                })));
                Console.WriteLine($"{name,-20} {P(alone, 0.5),8:0.0} {P(alone, 0.99),8:0.0} {P(loaded, 0.5),12:0.0} {P(loaded, 0.99),12:0.0}");
            }
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        }
    }

    /// <summary>
    /// What the calls are made over, read from the database (built now or kept): the last batch created, a key from
    /// the middle batch's middle item, and the counts.
    /// </summary>
    private static async Task<(Guid Big, string Key, long Batches, long Items)> ShapeAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT id FROM batches ORDER BY created_at DESC, id DESC LIMIT 1),
                   (SELECT COUNT(*) FROM batches), (SELECT COALESCE(SUM(total), 0) FROM batches)
            """;
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var big = Guid.Parse(reader.GetString(0));
        long batches = reader.GetInt64(1), items = reader.GetInt64(2);
        var perBatch = items / Math.Max(1, batches);
        SqliteConnection.ClearPool(connection);
        return (big, $"key-{batches / 2:D5}-{perBatch / 2:D4}", batches, items);
    }

    private static double P(List<double> values, double share)
    {
        values.Sort();
        return values[Math.Min(values.Count - 1, (int)Math.Ceiling(share * values.Count) - 1)];
    }

    private static async Task<double> GetAsync(HttpClient client, string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        var ms = clock.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {body.Length} bytes");
        return ms;
    }

    /// <summary>
    /// Batches made by the product (BatchService, engine stopped), then given realistic ends in SQL: a third completed,
    /// one in seven of those with failed items ("timeout after 30 s" among the errors), one in ten paused
    /// part-way, the rest cancelled (nothing is left for the engine to run); the
    /// counters are recounted from the items so they stay exact.
    /// </summary>
    private static async Task BuildAsync(string path, int count, int items)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddBatchMonitorCore(new StorageOptions { ConnectionString = $"Data Source={path}" }, new EngineOptions());
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await using var scope = provider.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<BatchService>();
        for (var b = 0; b < count; b++)
        {
            var created = await service.CreateAsync(new CreateBatchRequest
            {
                Name = $"batch-{b:D5}",
                Handler = "demo",
                Items = Enumerable.Range(0, items).Select(i => new ItemInput($"key-{b:D5}-{i:D4}")).ToList(),
            }, Actor.Admin("bench"));
            if (!created.IsOk) throw new InvalidOperationException(created.Errors?.ToString());
        }
        SqliteConnection.ClearAllPools();

        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var tx = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            CREATE TEMP TABLE shape AS
              SELECT id, ROW_NUMBER() OVER (ORDER BY created_at) - 1 AS n FROM batches;
            UPDATE batch_items SET status = 'succeeded', attempts = 1, duration_ms = 120, result = '{"score":1}'
             WHERE batch_id IN (SELECT id FROM shape WHERE n % 3 = 0 OR n % 10 = 1);
            UPDATE batch_items SET status = 'failed', attempts = 3,
                   error = CASE WHEN (item_index / 10) % 2 = 0 THEN 'timeout after 30 s' ELSE 'HTTP 503 from upstream' END
             WHERE batch_id IN (SELECT id FROM shape WHERE n % 21 = 0) AND item_index % 10 = 3;
            UPDATE batch_items SET status = 'pending', attempts = 0, duration_ms = NULL, result = NULL
             WHERE batch_id IN (SELECT id FROM shape WHERE n % 10 = 1) AND item_index >= 40;
            UPDATE batch_items SET status = 'cancelled', error = 'Cancelled by bench'
             WHERE batch_id IN (SELECT id FROM shape WHERE n % 3 <> 0 AND n % 10 <> 1);
            UPDATE batches SET
                   cancelled = (SELECT COUNT(*) FROM batch_items i WHERE i.batch_id = batches.id AND i.status = 'cancelled'),
                   pending = (SELECT COUNT(*) FROM batch_items i WHERE i.batch_id = batches.id AND i.status = 'pending'),
                   succeeded = (SELECT COUNT(*) FROM batch_items i WHERE i.batch_id = batches.id AND i.status = 'succeeded'),
                   failed = (SELECT COUNT(*) FROM batch_items i WHERE i.batch_id = batches.id AND i.status = 'failed'),
                   status = CASE WHEN (SELECT n FROM shape WHERE shape.id = batches.id) % 3 = 0 THEN 'completed'
                                 WHEN (SELECT n FROM shape WHERE shape.id = batches.id) % 10 = 1 THEN 'paused'
                                 ELSE 'cancelled' END,
                   started_at = CASE WHEN (SELECT n FROM shape WHERE shape.id = batches.id) % 3 = 0
                                       OR (SELECT n FROM shape WHERE shape.id = batches.id) % 10 = 1 THEN created_at END,
                   finished_at = CASE WHEN (SELECT n FROM shape WHERE shape.id = batches.id) % 10 = 1 THEN NULL ELSE created_at END;
            DROP TABLE shape;
            """;
        await command.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }

    /// <summary>The app on a real port over the built database, with an API key from the bootstrap settings.</summary>
    private sealed class ReadServer : RealPortApp
    {
        private readonly string _path;

        public ReadServer(string path)
        {
            _path = path;
            Start();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:BatchMonitor", $"Data Source={_path}");
            builder.UseSetting("BatchMonitor:Bootstrap:AdminEmail", "bench@batchmonitor.test");
            builder.UseSetting("BatchMonitor:Bootstrap:AdminPassword", "Bench-reads-000001");
            builder.UseSetting("BatchMonitor:Bootstrap:ApiKey", ApiKey);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }
}
