using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Rollups;
using BatchMonitor.Core.Storage;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Rollups;

/// <summary>The sampler: each minute's queue depth per handler, and minutes older than eight days removed in chunks.</summary>
public class RollupSamplerTests
{
    /// <summary>SQLite here, PostgreSQL in RollupSamplerTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task A_sample_writes_the_pending_items_of_each_handlers_active_batches_and_a_later_one_replaces_it()
    {
        var other = new ScriptedHandler("ranking");
        await using var h = await Store.HarnessAsync(start: false, configure: s => s.AddSingleton<Core.Handlers.IBatchHandler>(other));
        await h.CreateAsync(3);
        await h.CreateAsync(5);
        await h.CreateAsync(4, handler: "ranking");
        var finished = await h.CreateAsync(7, handler: "ranking");
        Assert.True((await h.Batches.CancelAsync(finished.Id, Actor.Admin("admin@example.com"))).IsOk);
        var sampler = h.Services.GetRequiredService<RollupSampler>();
        var heard = new List<DateTime>();
        h.Services.GetRequiredService<RollupEvents>().Sampled += heard.Add;

        var minute = await sampler.SampleAsync();

        Assert.Equal(Minutes.Floor(h.Time.UtcNow), minute);
        Assert.Equal([minute], heard);
        Assert.Equal([("ranking", 4), ("scripted", 8)], await DepthsAsync(h));
        var history = h.Services.GetRequiredService<HistoryReader>();
        Assert.Equal(12, (await history.ReadAsync(HistoryWindow.Hour, "1m", null)).Points[^1].QueueDepth);
        Assert.Equal(4, (await history.ReadAsync(HistoryWindow.Hour, "1m", "ranking")).Points[^1].QueueDepth);

        await h.CreateAsync(2);
        h.Time.Advance(TimeSpan.FromSeconds(20));
        await sampler.SampleAsync();
        Assert.Equal([("ranking", 4), ("scripted", 10)], await DepthsAsync(h));
    }

    [Fact]
    public async Task The_hosted_sampler_samples_at_start_and_again_when_the_next_minute_starts()
    {
        await using var h = await Store.HarnessAsync(start: false);
        await h.CreateAsync(3);
        var heard = new List<DateTime>();
        h.Services.GetRequiredService<RollupEvents>().Sampled += m => { lock (heard) heard.Add(m); };
        var timers = h.Time.PendingTimers;
        var sampler = h.Services.GetRequiredService<RollupSampler>();
        await sampler.StartAsync(CancellationToken.None);
        try
        {
            await Wait.UntilAsync(() => h.Time.PendingTimers > timers, "the sampler to wait for the next minute");
            lock (heard) Assert.Equal([FakeTimeProviderExtensions.TestStart.UtcDateTime], heard);

            h.Time.Advance(TimeSpan.FromSeconds(59));
            h.Time.Advance(TimeSpan.FromSeconds(1));

            await Wait.UntilAsync(() => { lock (heard) return heard.Count == 2; }, "the next minute's sample");
            Assert.Equal(FakeTimeProviderExtensions.TestStart.UtcDateTime.AddMinutes(1), heard[1]);
            Assert.Equal(3, (await h.Services.GetRequiredService<HistoryReader>().ReadAsync(HistoryWindow.Hour, "1m", null)).Points[^1].QueueDepth);
        }
        finally
        {
            await sampler.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Minutes_older_than_eight_days_are_removed_in_chunks_and_newer_ones_stay()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var now = Minutes.Floor(h.Time.UtcNow);
        var old = RollupSampler.PruneChunk * 2 + 17;
        await using (var db = await Contexts(h).CreateDbContextAsync())
        {
            for (var i = 0; i < old; i++)
                db.ThroughputMinutes.Add(new ThroughputMinute { Minute = now - RollupSampler.Keep - TimeSpan.FromMinutes(i + 1), Handler = "scripted", Succeeded = 1 });
            db.ThroughputMinutes.Add(new ThroughputMinute { Minute = now - RollupSampler.Keep, Handler = "scripted", Succeeded = 2 });
            db.ThroughputMinutes.Add(new ThroughputMinute { Minute = now, Handler = "scripted", Succeeded = 3 });
            await db.SaveChangesAsync();
        }

        Assert.Equal(old, await h.Services.GetRequiredService<RollupSampler>().PruneAsync());

        await using (var db = await Contexts(h).CreateDbContextAsync())
            Assert.Equal([2, 3], await db.ThroughputMinutes.OrderBy(m => m.Minute).Select(m => m.Succeeded).ToListAsync());
    }

    private static IDbContextFactory<BatchMonitorDbContext> Contexts(EngineHarness h) =>
        h.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>();

    private static async Task<List<(string, int)>> DepthsAsync(EngineHarness h)
    {
        await using var db = await Contexts(h).CreateDbContextAsync();
        var rows = await db.ThroughputMinutes.AsNoTracking().OrderBy(m => m.Handler).ToListAsync();
        return [.. rows.Select(r => (r.Handler, r.QueueDepth ?? -1))];
    }
}
