using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Components.Live;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components;

/// <summary>
/// The store and the events of the real app with the engine stopped, a fake clock, and bunit: a test creates a
/// batch, renders a page, and pushes the changes it wants the page to see. Each bunit context is one circuit (one
/// browser tab) with its own scope of the app's services.
/// </summary>
public sealed class ComponentHarness : IAsyncDisposable
{
    private readonly List<(BunitContext Context, AsyncServiceScope Scope, IRenderedComponent<Overlays> Overlays)> _tabs = [];

    private ComponentHarness(EngineHarness engine, CommandCounter commands)
    {
        Engine = engine;
        Commands = commands;
        Context = OpenTab();
    }

    public EngineHarness Engine { get; }

    /// <summary>The first tab; most tests need no other.</summary>
    public BunitContext Context { get; }

    /// <summary>SQL commands sent so far, by anyone.</summary>
    public CommandCounter Commands { get; }

    public FakeTimeProvider Time => Engine.Time;

    public BatchEvents Events => Engine.Events;

    public static async Task<ComponentHarness> CreateAsync()
    {
        var commands = new CommandCounter();
        var engine = await EngineHarness.CreateAsync(start: false,
            configure: services => services.ConfigureDbContext<BatchMonitorDbContext>(o => o.AddInterceptors(commands)));
        return new ComponentHarness(engine, commands);
    }

    /// <summary>Another browser tab on the same app: its own circuit, signed in as an admin.</summary>
    public BunitContext OpenTab()
    {
        var scope = Engine.Services.CreateAsyncScope();
        var context = new BunitContext().AddComponentTestServices(scope.ServiceProvider);
        _tabs.Add((context, scope, context.Render<Overlays>()));
        return context;
    }

    public Task<BatchView> CreateBatchAsync(int items = 10) => Engine.CreateAsync(items);

    /// <summary>Announces a change as the engine would after committing it.</summary>
    public void Push(BatchView batch, IReadOnlyList<ItemView>? items = null) =>
        Events.Publish(new BatchChange(batch.Id, batch, items ?? [], []));

    public static BatchView Running(BatchView batch, int succeeded, int failed = 0, int running = 0) => batch with
    {
        Status = BatchStatus.Running,
        Succeeded = succeeded,
        Failed = failed,
        Running = running,
        Pending = batch.Total - succeeded - failed - running,
        Progress = (double)(succeeded + failed) / batch.Total,
        StartedAt = batch.StartedAt ?? batch.CreatedAt,
    };

    /// <summary>Waits until the page has subscribed (it does so after its first render).</summary>
    public Task UntilSubscribedAsync(int before) =>
        Wait.UntilAsync(() => Events.SubscriberCount > before, "the page to subscribe to batch events");

    /// <summary>The first tab's dialogs, menus and notifications (MudBlazor draws them outside the page).</summary>
    public IRenderedComponent<Overlays> Overlays => OverlaysOf(Context);

    public IRenderedComponent<Overlays> OverlaysOf(BunitContext tab) => _tabs.First(t => t.Context == tab).Overlays;

    public CircuitConnection Connection => Context.Services.GetRequiredService<CircuitConnection>();

    public async ValueTask DisposeAsync()
    {
        foreach (var (context, scope, _) in Enumerable.Reverse(_tabs))
        {
            await context.DisposeAsync();
            await scope.DisposeAsync();
        }
        await Engine.DisposeAsync();
    }
}
