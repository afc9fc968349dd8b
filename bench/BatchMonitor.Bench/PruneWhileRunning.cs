using System.Diagnostics;
using BatchMonitor.Core;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Retention;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Bench;

/// <summary>
/// Does pruning a large backlog hurt the engine? On SQLite (one writer: the case where it could), a database holds a
/// backlog of finished batches older than the retention age; the engine runs a batch of N no-op items alone, then
/// another while a prune turn removes the backlog. Reports both run rates, their ratio, and the prune's time and rows/s.
/// Options: --items 50000 --backlog 200000 --batches 4 --chunk 1000 --runs 2
/// </summary>
internal static class PruneWhileRunning
{
    public static async Task<int> RunAsync(string[] args)
    {
        var items = BenchOptions.Int(args, "--items", 50_000);
        var backlog = BenchOptions.Int(args, "--backlog", 200_000);
        var batches = BenchOptions.Int(args, "--batches", 4);
        var chunk = BenchOptions.Int(args, "--chunk", 1000);
        var runs = BenchOptions.Int(args, "--runs", 2);
        Console.WriteLine($"prune: engine {items:N0} no-op items (concurrency 8), backlog {backlog:N0} items in {batches} finished batches, " +
                          $"chunk {chunk}, SQLite, {runs} run(s)");
        Console.WriteLine($"{"run",4} {"alone/s",10} {"pruning/s",10} {"ratio",6} {"prune s",8} {"pruned/s",10} {"overlap",8}");
        var failures = 0;
        for (var run = 1; run <= runs; run++)
        {
            var path = Path.Combine(Path.GetTempPath(), $"bm-bench-prune-{Guid.NewGuid():N}.db");
            try
            {
                var services = new ServiceCollection();
                services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
                services.AddBatchMonitorCore(new StorageOptions { ConnectionString = $"Data Source={path}" }, new EngineOptions());
                services.AddSingleton(new RetentionOptions { ChunkSize = chunk });
                services.AddSingleton<IBatchHandler, NoOpHandler>();
                await using var provider = services.BuildServiceProvider();
                await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
                await using var scope = provider.CreateAsyncScope();
                var service = scope.ServiceProvider.GetRequiredService<BatchService>();
                await BacklogAsync(provider, service, backlog, batches);

                var workers = provider.GetServices<IHostedService>().ToList();
                foreach (var worker in workers) await worker.StartAsync(CancellationToken.None);
                var alone = await RunBatchAsync(provider, service, items);
                var pruner = provider.GetRequiredService<RetentionPruner>();
                var pruneWatch = Stopwatch.StartNew();
                var prune = Task.Run(async () =>
                {
                    var report = await pruner.RunAsync();
                    pruneWatch.Stop();
                    return report;
                });
                var withPrune = await RunBatchAsync(provider, service, items);
                var report = await prune;
                foreach (var worker in workers) await worker.StopAsync(CancellationToken.None);

                var overlap = Math.Min(1, pruneWatch.Elapsed.TotalSeconds / withPrune.TotalSeconds);
                Console.WriteLine($"{run,4} {items / alone.TotalSeconds,10:N0} {items / withPrune.TotalSeconds,10:N0} " +
                                  $"{alone.TotalSeconds / withPrune.TotalSeconds,6:0.00} {pruneWatch.Elapsed.TotalSeconds,8:0.0} " +
                                  $"{report.Items / pruneWatch.Elapsed.TotalSeconds,10:N0} {overlap,8:P0}");
                if (report.Items != backlog || report.Batches != batches)
                {
                    Console.WriteLine($"     pruned {report.Batches} batches / {report.Items:N0} items, expected {batches} / {backlog:N0}!");
                    failures++;
                }
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Finished batches whose finish is 40 days ago (cancelled while queued: every item cancelled).</summary>
    private static async Task BacklogAsync(IServiceProvider provider, BatchService service, int items, int batches)
    {
        for (var b = 0; b < batches; b++)
        {
            var created = await service.CreateAsync(new CreateBatchRequest
            {
                Name = $"old {b}",
                Handler = "noop",
                Items = Enumerable.Range(0, items / batches).Select(i => new ItemInput($"old-{b}-{i:D7}")).ToList(),
            }, Actor.Admin("bench"));
            await service.CancelAsync(created.Batch!.Id, Actor.Admin("bench"));
        }
        await using var db = await provider.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        var old = provider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.AddDays(-40);
        await db.Batches.ExecuteUpdateAsync(s => s.SetProperty(x => x.FinishedAt, old));
    }

    private static async Task<TimeSpan> RunBatchAsync(IServiceProvider provider, BatchService service, int count)
    {
        var events = provider.GetRequiredService<BatchEvents>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Guid? id = null;
        using var subscription = events.SubscribeAll(change =>
        {
            if (change.BatchId == id && change.Batch is { Status: BatchStatus.Completed }) done.TrySetResult();
            return Task.CompletedTask;
        });
        var watch = Stopwatch.StartNew();
        var created = await service.CreateAsync(new CreateBatchRequest
        {
            Name = "bench",
            Handler = "noop",
            Items = Enumerable.Range(0, count).Select(i => new ItemInput($"item-{i:D7}")).ToList(),
            Options = new OptionsInput { Concurrency = 8, MaxAttempts = 1 },
        }, Actor.Admin("bench"));
        id = created.Batch!.Id;
        if ((await service.GetAsync(id.Value))?.Status == BatchStatus.Completed) done.TrySetResult();
        await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
        return watch.Elapsed;
    }
}
