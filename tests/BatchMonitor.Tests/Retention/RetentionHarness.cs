using BatchMonitor.Core.Access;
using BatchMonitor.Core.Retention;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BatchMonitor.Tests.Retention;

/// <summary>What the retention tests share: the engine harness without its retention loop (a test runs the turns), and the rows it counts.</summary>
internal static class RetentionHarness
{
    public static readonly Actor Admin = Actor.Admin("admin@test") with { Address = "203.0.113.7" };

    /// <summary>An engine harness whose retention turns run only when the test says (no hosted loop), with the options given.</summary>
    public static Task<EngineHarness> CreateAsync(TestStore store, RetentionOptions? options = null, bool start = false,
        TestDatabase? database = null, FakeTimeProvider? time = null, string node = "test-node", bool withLoop = false) =>
        store.HarnessAsync(start: start, database: database, time: time, node: new Core.Nodes.NodeOptions { Name = node }, configure: services =>
        {
            if (options is not null) services.AddSingleton(options);
            if (!withLoop) services.Remove(services.Single(s => s.ImplementationType == typeof(RetentionWorker)));
        });

    public static RetentionPruner Pruner(this EngineHarness h) => h.Services.GetRequiredService<RetentionPruner>();

    public static RetentionService Retention(this EngineHarness h) => h.Services.CreateScope().ServiceProvider.GetRequiredService<RetentionService>();

    public static async Task<RetentionView> ViewAsync(this EngineHarness h) => (await h.Retention().GetAsync(Admin)).View!;

    public static async Task StartRetentionLoopAsync(this EngineHarness h) =>
        await h.Services.GetServices<IHostedService>().OfType<RetentionWorker>().Single().StartAsync(CancellationToken.None);

    public static async Task StopRetentionLoopAsync(this EngineHarness h) =>
        await h.Services.GetServices<IHostedService>().OfType<RetentionWorker>().Single().StopAsync(CancellationToken.None);

    /// <summary>A queued batch cancelled now: finished, with its finish at the clock's time.</summary>
    public static async Task<BatchView> CancelledAsync(this EngineHarness h, int items = 3)
    {
        var batch = await h.CreateAsync(items);
        Assert.True((await h.Batches.CancelAsync(batch.Id, Admin)).IsOk);
        return (await h.GetAsync(batch.Id));
    }

    /// <summary>Rows of the batch in each of its tables: items, attempts, log lines, and the batch row itself.</summary>
    public static async Task<(int Items, int Attempts, int Lines, bool Batch)> RowsAsync(this EngineHarness h, Guid id)
    {
        await using var db = await h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        return (await db.Items.CountAsync(i => i.BatchId == id), await db.Attempts.CountAsync(a => a.BatchId == id),
            await db.LogLines.CountAsync(l => l.BatchId == id), await db.Batches.AnyAsync(b => b.Id == id));
    }

    public static async Task<BatchMonitorDbContext> DbAsync(this EngineHarness h) =>
        await h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
}
