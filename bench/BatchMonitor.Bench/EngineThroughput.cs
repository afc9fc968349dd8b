using System.Diagnostics;
using BatchMonitor.Core;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Bench;

/// <summary>
/// One batch of N items with a no-op handler on SQLite: how fast it is created, how fast the engine runs it
/// (every item's final state persisted), the process's peak memory, and the run rate as a share of the floor (the bare
/// claim + complete over the same schema, <see cref="Floor"/>) measured in the same run.
/// Options: --items 100000 --concurrency 8 --runs 3
/// </summary>
internal static class EngineThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        var items = BenchOptions.Int(args, "--items", 100_000);
        var concurrency = BenchOptions.Int(args, "--concurrency", 8);
        var runs = BenchOptions.Int(args, "--runs", 3);
        Console.WriteLine($"engine: {items:N0} items, no-op handler, concurrency {concurrency}, SQLite, {runs} run(s)");
        Console.WriteLine($"{"run",4} {"create s",9} {"create items/s",15} {"run s",8} {"run items/s",12} {"floor/s",10} {"of floor",9} " +
                          $"{"CPU µs/item",12} {"floor CPU",10} {"peak MB",8}");

        // Warm-up, not reported: the engine's and the floor's code reach their optimised tier (the runtime recompiles hot
        // methods in the background for a second or so, which would otherwise fall into the first measured run of either).
        await RunOnceAsync(Math.Min(items, 20_000), concurrency);
        await Floor.MeasureAsync(Math.Min(items, 20_000));

        var failures = 0;
        for (var run = 1; run <= runs; run++)
        {
            var result = await RunOnceAsync(items, concurrency);
            // The floor right after, on the same machine in the same state, so the ratio compares like with like.
            var drain = await Floor.MeasureAsync(items);
            var floor = items / drain.Seconds;
            var rate = items / result.RunSeconds;
            Console.WriteLine($"{run,4} {result.CreateSeconds,9:0.000} {items / result.CreateSeconds,15:N0} {result.RunSeconds,8:0.000} " +
                              $"{rate,12:N0} {floor,10:N0} {rate / floor,9:0.00} {result.CpuSeconds * 1e6 / items,12:0.0} " +
                              $"{drain.CpuSeconds * 1e6 / items,10:0.0} {result.PeakMegabytes,8:N0}");
            if (!result.Consistent)
            {
                Console.WriteLine("     counters do not match the items table!");
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private static async Task<Result> RunOnceAsync(int count, int concurrency)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bm-bench-{Guid.NewGuid():N}.db");
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        services.AddBatchMonitorCore(new StorageOptions { ConnectionString = $"Data Source={path}" }, new EngineOptions());
        services.AddSingleton<IBatchHandler, NoOpHandler>();
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        try
        {
            var workers = provider.GetServices<IHostedService>().ToList();
            foreach (var worker in workers) await worker.StartAsync(CancellationToken.None);
            await using var scope = provider.CreateAsyncScope();
            var batches = scope.ServiceProvider.GetRequiredService<BatchService>();
            var events = provider.GetRequiredService<BatchEvents>();

            var request = new CreateBatchRequest
            {
                Name = "bench",
                Handler = "noop",
                Items = Enumerable.Range(0, count).Select(i => new ItemInput($"item-{i:D7}")).ToList(),
                Options = new OptionsInput { Concurrency = concurrency, MaxAttempts = 1 },
            };

            var done = new TaskCompletionSource<(Stopwatch Watch, TimeSpan Cpu)>(TaskCreationOptions.RunContinuationsAsynchronously);
            Stopwatch? running = null;
            var cpuAtStart = TimeSpan.Zero;
            using var subscription = events.SubscribeAll(change =>
            {
                if (change.Batch is { Status: BatchStatus.Running } && running is null) { running = Stopwatch.StartNew(); cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime; }
                if (change.Batch is { Status: BatchStatus.Completed })
                    done.TrySetResult((running ?? Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart));
                return Task.CompletedTask;
            });

            var create = Stopwatch.StartNew();
            var created = await batches.CreateAsync(request, Actor.Admin("bench"));
            create.Stop();
            if (!created.IsOk) throw new InvalidOperationException(created.Errors?.ToString());

            var (watch, cpu) = await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
            watch.Stop();
            var batch = (await batches.GetAsync(created.Batch!.Id))!;
            foreach (var worker in workers) await worker.StopAsync(CancellationToken.None);
            var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
            return new Result(create.Elapsed.TotalSeconds, watch.Elapsed.TotalSeconds, cpu.TotalSeconds, peak,
                batch.Succeeded == count && batch.Pending == 0 && batch.Running == 0);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        }
    }


    private sealed record Result(double CreateSeconds, double RunSeconds, double CpuSeconds, double PeakMegabytes, bool Consistent);
}
