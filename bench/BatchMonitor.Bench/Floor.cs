using System.Diagnostics;
using System.Threading.Channels;
using BatchMonitor.Core;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Bench;

/// <summary>
/// What SQLite itself allows for our items schema: the bare claim + complete of every item, 100 rows per transaction,
/// 8 tasks "running" items (no work), one writer — no engine, no events, no views. The engine's rate is reported as a
/// share of this, measured in the same run on the same machine.
/// Options: --items 100000 --runs 3
/// </summary>
internal static class Floor
{
    private const int Chunk = 100;
    private const int Tasks = 8;

    public static async Task<int> RunAsync(string[] args)
    {
        var items = BenchOptions.Int(args, "--items", 100_000);
        var runs = BenchOptions.Int(args, "--runs", 3);
        Console.WriteLine($"floor: {items:N0} items, bare claim + complete, {Chunk}-row transactions, {Tasks} tasks, one writer, SQLite, {runs} run(s)");
        Console.WriteLine($"{"run",4} {"run s",8} {"items/s",12} {"CPU µs/item",12}");
        await MeasureAsync(Math.Min(items, 5_000));
        for (var run = 1; run <= runs; run++)
        {
            var drain = await MeasureAsync(items);
            Console.WriteLine($"{run,4} {drain.Seconds,8:0.000} {items / drain.Seconds,12:N0} {drain.CpuSeconds * 1e6 / items,12:0.0}");
        }
        return 0;
    }

    /// <summary>
    /// The time to claim and complete <paramref name="count"/> items of one batch, the schema made by our migrations, and
    /// the process's CPU time meanwhile (on a machine shared with other work, CPU per item moves less than the rate).
    /// </summary>
    public static async Task<Drain> MeasureAsync(int count)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bm-floor-{Guid.NewGuid():N}.db");
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddBatchMonitorCore(new StorageOptions { ConnectionString = $"Data Source={path}" }, new EngineOptions());
        try
        {
            Guid batchId;
            await using (var provider = services.BuildServiceProvider())
            {
                await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
                await using var scope = provider.CreateAsyncScope();
                // Created by the product (same rows, same indexes), never started: the engine is not running.
                var created = await scope.ServiceProvider.GetRequiredService<BatchService>().CreateAsync(new CreateBatchRequest
                {
                    Name = "floor",
                    Handler = "demo",
                    Items = Enumerable.Range(0, count).Select(i => new ItemInput($"item-{i:D7}")).ToList(),
                    Options = new OptionsInput { Concurrency = Tasks, MaxAttempts = 1 },
                }, Actor.Admin("bench"));
                if (!created.IsOk) throw new InvalidOperationException(created.Errors?.ToString());
                batchId = created.Batch!.Id;
            }
            SqliteConnection.ClearAllPools();
            return await DrainAsync(path, batchId, count);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        }
    }

    private static async Task<Drain> DrainAsync(string path, Guid batchId, int count)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync();
        }
        var batch = batchId.ToString().ToUpperInvariant(); // as the store writes ids
        await using var claim = connection.CreateCommand();
        claim.CommandText = """
            UPDATE batch_items SET status = 'running', attempts = attempts + 1, started_at = @now
             WHERE id IN (SELECT id FROM batch_items WHERE batch_id = @batch AND status = 'pending' ORDER BY item_index LIMIT @max)
            RETURNING id
            """;
        var claimNow = claim.Parameters.Add("@now", SqliteType.Text);
        claimNow.Value = "";
        claim.Parameters.AddWithValue("@batch", batch);
        var claimMax = claim.Parameters.Add("@max", SqliteType.Integer);
        await using var complete = connection.CreateCommand();
        complete.CommandText = """
            UPDATE batch_items SET status = 'succeeded', finished_at = @now, duration_ms = 0
             WHERE id = @id AND status = 'running'
            """;
        var completeNow = complete.Parameters.Add("@now", SqliteType.Text);
        var completeId = complete.Parameters.Add("@id", SqliteType.Integer);
        await using var counters = connection.CreateCommand();
        counters.CommandText = "UPDATE batches SET running = running - @n, succeeded = succeeded + @n WHERE id = @batch";
        var countersN = counters.Parameters.Add("@n", SqliteType.Integer);
        counters.Parameters.AddWithValue("@batch", batch);
        claim.Prepare();
        complete.Prepare();
        counters.Prepare();

        var work = Channel.CreateBounded<long>(Chunk * 2);
        var finished = Channel.CreateUnbounded<long>();
        var runners = Enumerable.Range(0, Tasks).Select(_ => Task.Run(async () =>
        {
            await foreach (var id in work.Reader.ReadAllAsync()) finished.Writer.TryWrite(id);
        })).ToArray();

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var claimed = 0;
        var done = 0;
        var buffer = new List<long>(Chunk);
        while (done < count)
        {
            if (claimed < count && claimed - done < Chunk * 2)
            {
                var ids = new List<long>(Chunk);
                await using (var tx = connection.BeginTransaction())
                {
                    claim.Transaction = tx;
                    claimNow.Value = DateTime.UtcNow.ToString("O");
                    claimMax.Value = Chunk;
                    await using (var reader = await claim.ExecuteReaderAsync())
                        while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
                    await tx.CommitAsync();
                }
                if (ids.Count == 0) throw new InvalidOperationException("The claim found no pending items: the items schema changed.");
                claimed += ids.Count;
                foreach (var id in ids) await work.Writer.WriteAsync(id);
            }
            buffer.Clear();
            while (buffer.Count < Chunk && finished.Reader.TryRead(out var id)) buffer.Add(id);
            if (buffer.Count == 0)
            {
                if (claimed - done >= Chunk * 2 || claimed >= count) buffer.Add(await finished.Reader.ReadAsync());
                else continue;
            }
            await using (var tx = connection.BeginTransaction())
            {
                complete.Transaction = tx;
                counters.Transaction = tx;
                completeNow.Value = DateTime.UtcNow.ToString("O");
                foreach (var id in buffer)
                {
                    completeId.Value = id;
                    await complete.ExecuteNonQueryAsync();
                }
                countersN.Value = buffer.Count;
                await counters.ExecuteNonQueryAsync();
                await tx.CommitAsync();
            }
            done += buffer.Count;
        }
        watch.Stop();
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        work.Writer.Complete();
        await Task.WhenAll(runners);
        return new Drain(watch.Elapsed.TotalSeconds, used.TotalSeconds);
    }

    /// <param name="Seconds">From the first claim to the last completion.</param>
    /// <param name="CpuSeconds">CPU time the process used meanwhile (all its threads).</param>
    public sealed record Drain(double Seconds, double CpuSeconds);
}
