using System.Collections.Concurrent;
using System.Diagnostics;
using BatchMonitor.Core;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Nodes;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BatchMonitor.Bench;

/// <summary>
/// Several engines (nodes) in this process on one PostgreSQL database, each with its own services, as separate
/// processes would be: (1) the engine's rate on PostgreSQL with 1 and N nodes (no-op items, every final state
/// persisted, counters checked against the items table); (2) how long after a node commits a change another node's
/// subscribers hear it (LISTEN/NOTIFY, the receiver's re-read, and its coalescing as pages get it): the time from the
/// running node publishing a finished count after its commit to a page-only node delivering that count.
/// Options: --postgres "Host=…;Username=…" (a server where the user may create databases; or BATCHMONITOR_BENCH_POSTGRES)
/// --items 20000 --nodes 3 --concurrency 8
/// </summary>
internal static class AcrossNodes
{
    public static async Task<int> RunAsync(string[] args)
    {
        var server = BenchOptions.Text(args, "--postgres") ?? Environment.GetEnvironmentVariable("BATCHMONITOR_BENCH_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            Console.Error.WriteLine("across-nodes needs a PostgreSQL server: --postgres \"Host=127.0.0.1;Port=5432;Username=postgres\"");
            return 2;
        }
        var items = BenchOptions.Int(args, "--items", 20_000);
        var nodes = BenchOptions.Int(args, "--nodes", 3);
        var concurrency = BenchOptions.Int(args, "--concurrency", 8);
        var failures = 0;

        Console.WriteLine($"across-nodes: {items:N0} no-op items, concurrency {concurrency}, PostgreSQL");
        Console.WriteLine($"{"nodes",6} {"create s",9} {"run s",8} {"run items/s",12} {"items per node",30}");
        foreach (var count in new[] { 1, nodes }.Distinct())
        {
            var (ok, line) = await EngineRateAsync(server, items, count, concurrency);
            Console.WriteLine(line);
            if (!ok) failures++;
        }

        Console.WriteLine();
        Console.WriteLine("commit on node-1 → delivered on node-2 (a page-only node), items of 20 ms, concurrency 8:");
        var latencies = await LatencyAsync(server, Math.Min(items, 4_000));
        latencies.Sort();
        double At(double q) => latencies[(int)Math.Min(latencies.Count - 1, Math.Floor(q * latencies.Count))];
        Console.WriteLine($"{latencies.Count:N0} counts heard; p50 {At(0.50):0.0} ms, p90 {At(0.90):0.0} ms, p99 {At(0.99):0.0} ms, max {latencies[^1]:0.0} ms");
        return failures == 0 ? 0 : 1;
    }

    private static async Task<(bool Ok, string Line)> EngineRateAsync(string server, int items, int nodes, int concurrency)
    {
        await using var database = await BenchDatabase.CreateAsync(server);
        var hosts = new List<ServiceProvider>();
        try
        {
            for (var n = 1; n <= nodes; n++) hosts.Add(await StartAsync(database.ConnectionString, $"node-{n}", runsBatches: true, new NoOpHandler()));
            await using var scope = hosts[0].CreateAsyncScope();
            var batches = scope.ServiceProvider.GetRequiredService<BatchService>();
            var watch = Stopwatch.StartNew();
            var created = await batches.CreateAsync(new CreateBatchRequest
            {
                Name = "bench", Handler = "noop",
                Items = Enumerable.Range(0, items).Select(i => new ItemInput($"item-{i:D7}")).ToList(),
                Options = new OptionsInput { Concurrency = concurrency },
            }, Actor.Admin("bench"));
            var create = watch.Elapsed.TotalSeconds;
            var id = created.Batch!.Id;
            foreach (var host in hosts) host.GetRequiredService<EngineSignals>().Wake();
            watch.Restart();
            while ((await batches.GetAsync(id))!.Status != Core.Domain.BatchStatus.Completed) await Task.Delay(20);
            var run = watch.Elapsed.TotalSeconds;
            var (consistent, perNode) = await database.CheckAsync(id);
            return (consistent, $"{nodes,6} {create,9:0.000} {run,8:0.000} {items / run,12:N0} {perNode,30}" +
                                (consistent ? "" : "  counters do not match the items table!"));
        }
        finally
        {
            await StopAsync(hosts);
        }
    }

    private static async Task<List<double>> LatencyAsync(string server, int items)
    {
        await using var database = await BenchDatabase.CreateAsync(server);
        var runner = await StartAsync(database.ConnectionString, "node-1", runsBatches: true, new SlowHandler());
        var follower = await StartAsync(database.ConnectionString, "node-2", runsBatches: false, null);
        var published = new ConcurrentDictionary<int, long>();
        var latencies = new List<double>();
        var heard = new HashSet<int>();
        // node-1 publishes right after each commit: the moment its finished count became true.
        runner.GetRequiredService<BatchEvents>().PublishedHere += change =>
        {
            if (change.Batch is { } b) published.TryAdd(b.Finished, Stopwatch.GetTimestamp());
        };
        using var subscription = follower.GetRequiredService<BatchEvents>().SubscribeAll(change =>
        {
            if (change.Batch is { } b && published.TryGetValue(b.Finished, out var at))
                lock (latencies)
                    if (heard.Add(b.Finished)) latencies.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
            return Task.CompletedTask;
        });
        try
        {
            await using var scope = runner.CreateAsyncScope();
            var batches = scope.ServiceProvider.GetRequiredService<BatchService>();
            var created = await batches.CreateAsync(new CreateBatchRequest
            {
                Name = "latency", Handler = "slow",
                Items = Enumerable.Range(0, items).Select(i => new ItemInput($"item-{i:D6}")).ToList(),
                Options = new OptionsInput { Concurrency = 8 },
            }, Actor.Admin("bench"));
            while ((await batches.GetAsync(created.Batch!.Id))!.Status != Core.Domain.BatchStatus.Completed) await Task.Delay(50);
            await Task.Delay(500); // the last notices
            lock (latencies) return [.. latencies];
        }
        finally
        {
            await StopAsync([runner, follower]);
        }
    }

    private static async Task<ServiceProvider> StartAsync(string connectionString, string name, bool runsBatches, IBatchHandler? handler)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        services.AddBatchMonitorCore(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = connectionString },
            new EngineOptions { RunsBatches = runsBatches }, new NodeOptions { Name = name });
        if (handler is not null) services.AddSingleton(handler);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        foreach (var worker in provider.GetServices<IHostedService>()) await worker.StartAsync(CancellationToken.None);
        return provider;
    }

    private static async Task StopAsync(IEnumerable<ServiceProvider> hosts)
    {
        foreach (var host in hosts)
        {
            foreach (var worker in host.GetServices<IHostedService>().Reverse()) await worker.StopAsync(CancellationToken.None);
            await host.DisposeAsync();
        }
    }

    /// <summary>Items of 20 ms: a steady stream of small commits to announce.</summary>
    private sealed class SlowHandler : IBatchHandler
    {
        public string Name => "slow";
        public string Description => "Takes 20 ms.";
        public IReadOnlyList<HandlerArgument> Arguments { get; } = [];
        public async Task<System.Text.Json.Nodes.JsonNode?> HandleAsync(ItemContext item, CancellationToken ct)
        {
            await Task.Delay(20, ct);
            return null;
        }
    }

    /// <summary>A database of the bench's own on the server, dropped at the end.</summary>
    private sealed class BenchDatabase(string server, string name) : IAsyncDisposable
    {
        public string ConnectionString { get; } = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 50 }.ConnectionString;

        public static async Task<BenchDatabase> CreateAsync(string server)
        {
            var name = $"bm_bench_{Guid.NewGuid():N}";
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
            return new BenchDatabase(server, name);
        }

        /// <summary>Counters equal to the items table, and how many items each node finished (by the attempts' node).</summary>
        public async Task<(bool Consistent, string PerNode)> CheckAsync(Guid batchId)
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var check = new NpgsqlCommand("""
                SELECT b.succeeded = (SELECT COUNT(*) FROM batch_items i WHERE i.batch_id = b.id AND i.status = 'succeeded')
                   AND b.running = 0 AND b.pending = 0
                  FROM batches b WHERE b.id = @id
                """, connection);
            check.Parameters.AddWithValue("id", batchId);
            var consistent = (bool)(await check.ExecuteScalarAsync())!;
            await using var nodes = new NpgsqlCommand(
                "SELECT node, COUNT(*) FROM item_attempts WHERE batch_id = @id GROUP BY node ORDER BY node", connection);
            nodes.Parameters.AddWithValue("id", batchId);
            var parts = new List<string>();
            await using (var reader = await nodes.ExecuteReaderAsync())
                while (await reader.ReadAsync()) parts.Add($"{reader.GetString(0)} {reader.GetInt64(1):N0}");
            return (consistent, string.Join(", ", parts));
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
