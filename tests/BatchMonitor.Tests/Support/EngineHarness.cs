using System.Text.Json.Nodes;
using BatchMonitor.Core;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Nodes;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BatchMonitor.Tests.Support;

/// <summary>
/// The real engine on a real database (a SQLite file, or a PostgreSQL database: <see cref="TestStore"/>), with a fake
/// clock and a scripted handler, and no host:
/// a test creates batches through the service, moves the clock, and waits for what the engine announces.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly AsyncServiceScope _scope;
    private readonly bool _ownsDatabase;
    private List<IHostedService>? _workers;

    private EngineHarness(ServiceProvider services, FakeTimeProvider time, ScriptedHandler handler, TestDatabase database, bool ownsDatabase)
    {
        _services = services;
        _scope = services.CreateAsyncScope();
        Time = time;
        Handler = handler;
        Database = database;
        _ownsDatabase = ownsDatabase;
    }

    public FakeTimeProvider Time { get; }
    public ScriptedHandler Handler { get; }
    /// <summary>The harness's database; one given to <see cref="CreateAsync"/> outlives the harness (two harnesses on it in turn are one engine restarted).</summary>
    public TestDatabase Database { get; }

    /// <summary>The SQLite file (SQLite only).</summary>
    public string DatabasePath => Database.Path;
    public IServiceProvider Services => _services;
    public BatchService Batches => _scope.ServiceProvider.GetRequiredService<BatchService>();
    public BatchEvents Events => _services.GetRequiredService<BatchEvents>();
    internal BatchEngine Engine => _services.GetRequiredService<BatchEngine>();
    internal NodeHeartbeat Heartbeat => _services.GetRequiredService<NodeHeartbeat>();
    public NodeIdentity Node => _services.GetRequiredService<NodeIdentity>();

    /// <param name="path">A SQLite file of the caller's (SQLite only; else see <paramref name="database"/>).</param>
    /// <param name="store">The provider of the harness's own new database (SQLite when null).</param>
    /// <param name="database">A database of the caller's, which it disposes; on its provider.</param>
    public static async Task<EngineHarness> CreateAsync(EngineOptions? options = null, bool start = true, string? path = null,
        ScriptedHandler? handler = null, FakeTimeProvider? time = null, Action<IServiceCollection>? configure = null,
        TestStore? store = null, TestDatabase? database = null, NodeOptions? node = null)
    {
        var ownsDatabase = database is null && path is null;
        database ??= path is not null
            ? new TestDatabase(TestStore.Sqlite, $"Data Source={path}", null)
            : await (store ?? TestStore.Sqlite).CreateDatabaseAsync();
        time ??= new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        handler ??= new ScriptedHandler();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        // One name for every harness unless a test says otherwise: two harnesses on one database in turn are one node
        // restarted (it takes back what it left running); two at once with names of their own are two nodes.
        services.AddBatchMonitorCore(database.Options,
            options ?? new EngineOptions { EventWindow = TimeSpan.Zero, ProgressInterval = TimeSpan.Zero, RetryJitter = 0 },
            node ?? new NodeOptions { Name = "test-node" });
        services.AddSingleton<IBatchHandler>(handler);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await using (var db = await provider.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync())
            Assert.Equal(database.Store.IsPostgres, db is PostgresBatchMonitorDbContext);
        var harness = new EngineHarness(provider, time, handler, database, ownsDatabase);
        if (start) await harness.StartEngineAsync();
        return harness;
    }

    /// <summary>Starts the engine's worker and the scheduler, as the host would.</summary>
    public async Task StartEngineAsync()
    {
        _workers = _services.GetServices<IHostedService>().ToList();
        foreach (var worker in _workers) await worker.StartAsync(CancellationToken.None);
    }

    /// <summary>A graceful stop: running items go back to pending.</summary>
    public async Task StopEngineAsync()
    {
        if (_workers is null) return;
        foreach (var worker in Enumerable.Reverse(_workers)) await worker.StopAsync(CancellationToken.None);
        _workers = null;
    }

    /// <summary>Leaves the engine running but unreachable, as if its process had died.</summary>
    public void Abandon() => _workers = null;

    public async Task<BatchView> CreateAsync(int count, OptionsInput? options = null, string? handler = null,
        JsonObject? args = null, Func<int, ItemInput>? item = null)
    {
        var result = await Batches.CreateAsync(new CreateBatchRequest
        {
            Handler = handler ?? Handler.Name,
            Items = Enumerable.Range(0, count).Select(i => item?.Invoke(i) ?? new ItemInput($"k{i}")).ToList(),
            Args = args,
            Options = options,
        }, Actor.Admin("test"));
        Assert.True(result.IsOk, $"The batch was refused: {result.Errors} {result.Conflict}");
        return result.Batch!;
    }

    /// <summary>Waits until the batch is in one of the statuses (by its events, checked against the store).</summary>
    public async Task<BatchView> WaitForStatusAsync(Guid id, params BatchStatus[] statuses)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = Events.Subscribe(id, change =>
        {
            if (change.Batch is { } b && statuses.Contains(b.Status)) reached.TrySetResult();
            return Task.CompletedTask;
        });
        var now = await Batches.GetAsync(id);
        if (now is not null && statuses.Contains(now.Status)) return now;
        // A whole batch on PostgreSQL is many more round trips to a server process that shares the test run's cores:
        // under load it may take longer than the usual limit, which says when to call it a hang, not how fast to be.
        await Wait.ForAsync(reached.Task, $"batch {id} to become {string.Join(" or ", statuses)} (it is {now?.Status})",
            Database.Store.IsPostgres ? Wait.Limit * 3 : null);
        return (await Batches.GetAsync(id))!;
    }

    public async Task<BatchView> GetAsync(Guid id) => (await Batches.GetAsync(id))!;

    /// <summary>How many items are in each status, counted in the items table.</summary>
    public async Task<Dictionary<ItemStatus, int>> CountItemsAsync(Guid id)
    {
        await using var db = await _services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        var counts = await db.Items.Where(i => i.BatchId == id).GroupBy(i => i.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        return Enum.GetValues<ItemStatus>().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0);
    }

    /// <summary>The invariant: every counter on the batch equals a COUNT(*) of its items (read in one statement, see <see cref="LedgerAssert"/>).</summary>
    public Task AssertCountersMatchItemsAsync(Guid id) => LedgerAssert.CountersMatchItemsAsync(this, id);

    public async Task<List<ItemView>> ItemsAsync(Guid id, ItemStatus? status = null)
    {
        var page = await Batches.ItemsAsync(id, new ItemQuery { Statuses = status is { } s ? [s] : [], Limit = ItemQuery.MaxLimit });
        return page!.Items.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopEngineAsync();
        }
        catch (ObjectDisposedException)
        {
        }
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
        if (_ownsDatabase) await Database.DisposeAsync();
    }
}
