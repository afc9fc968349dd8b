using System.Collections.Concurrent;
using BatchMonitor.Core.Events;
using Microsoft.AspNetCore.Components;

namespace BatchMonitor.Web.Components.Live;

/// <summary>
/// A page that shows batches live. It reads its state in <see cref="LoadAsync"/> (prerendering included); after its
/// first interactive render it subscribes to the engine's events and reads once more, so nothing committed in
/// between is missed. Changes are queued on the engine's thread and applied on the component's dispatcher, about
/// <see cref="RenderInterval"/> apart however fast they come (a flood of events is a handful of renders); a change
/// that moves a count or a status is rendered at once when the last render was for progress only.
/// Elapsed timers tick once a second from a circuit-side timer that never touches the database. After a dropped
/// connection comes back the page re-reads everything. Dispose unsubscribes.
/// </summary>
public abstract class LiveComponentBase : ComponentBase, IDisposable
{
    /// <summary>At most ten renders a second per live page for changes (plus the once-a-second tick of its timers).</summary>
    public static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Re-reads caused by changes (a status moved, a new batch) happen at most this often.</summary>
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentQueue<BatchChange> _changes = new();
    private IDisposable? _subscription;
    private IDisposable? _schedules;
    private Guid? _followed;
    private RenderThrottle? _renders;
    private RenderThrottle? _reloads;
    private ITimer? _ticker;
    private bool _live;
    private bool _disposed;

    [Inject] protected BatchEvents Events { get; set; } = default!;

    [Inject] private ScheduleEvents ScheduleEvents { get; set; } = default!;

    [Inject] protected TimeProvider Time { get; set; } = default!;

    [Inject] private CircuitConnection Connection { get; set; } = default!;

    /// <summary>The batch whose events this page wants; null for every batch.</summary>
    protected virtual Guid? FollowedBatch => null;

    /// <summary>
    /// The page shows schedules: a change of any schedule (saved, enabled, deleted, a fire recorded) reads the page
    /// again, so another tab's edit or a skipped fire shows at once.
    /// </summary>
    protected virtual bool FollowsSchedules => false;

    /// <summary>The server's clock, as of this render.</summary>
    protected DateTime Now => Time.GetUtcNow().UtcDateTime;

    /// <summary>True once subscribed (after the first interactive render).</summary>
    protected bool IsLive => _live;

    /// <summary>Renders caused by changes and ticks so far (tests count them).</summary>
    public int LiveRenders => _renders?.Flushes ?? 0;

    /// <summary>Reads what the page shows from the store.</summary>
    protected abstract Task LoadAsync();

    /// <summary>Applies changes (oldest first) to what the page shows; call <see cref="RequestReload"/> when they are not enough.</summary>
    protected abstract void Apply(IReadOnlyList<BatchChange> changes);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || _disposed) return;
        _renders = new RenderThrottle(Time, RenderInterval, () => InvokeAsync(FlushAsync), Fail);
        _reloads = new RenderThrottle(Time, ReloadInterval, () => InvokeAsync(ReloadAsync), Fail);
        Connection.Reconnected += OnReconnected;
        Follow();
        if (FollowsSchedules) _schedules = ScheduleEvents.Subscribe(_ => RequestReload());
        _live = true;
        // Subscribed first, then read: a change committed before this read is in it, a later one is in an event.
        await ReloadAsync();
    }

    /// <summary>Subscribes to <see cref="FollowedBatch"/>, or moves the subscription when it changed (same page, another batch).</summary>
    protected void Follow()
    {
        if (_disposed || _renders is null) return;
        var wanted = FollowedBatch;
        if (_subscription is not null && wanted == _followed) return;
        _subscription?.Dispose();
        _changes.Clear();
        _followed = wanted;
        _subscription = wanted is { } id ? Events.Subscribe(id, Enqueue) : Events.SubscribeAll(Enqueue);
    }

    /// <summary>Re-reads the page's state soon (at most once per <see cref="ReloadInterval"/>) and renders.</summary>
    protected void RequestReload() => _reloads?.Request();

    /// <summary>While true, the page renders once a second (elapsed timers) without reading anything.</summary>
    protected bool Ticking
    {
        get => _ticker is not null;
        set
        {
            if (value == Ticking || _disposed || (value && !_live)) return;
            if (value) _ticker = Time.CreateTimer(_ => Tick(), null, TickInterval, TickInterval);
            else
            {
                _ticker?.Dispose();
                _ticker = null;
            }
        }
    }

    /// <summary>
    /// A timer's render stays out of the change throttle: it would otherwise hold back the next change by up to an
    /// interval. (At most one extra render a second; none when a change's render is already due.)
    /// </summary>
    private void Tick()
    {
        if (_disposed || _renders is not { IsScheduled: false }) return;
        _ = InvokeAsync(() =>
        {
            if (!_disposed) StateHasChanged();
        });
    }

    private Task Enqueue(BatchChange change)
    {
        _changes.Enqueue(change);
        // A moving count or status is shown at once; item progress waits for the next render.
        _renders?.Request(urgent: change.CountsMoved || change.Deleted);
        return Task.CompletedTask;
    }

    private Task FlushAsync()
    {
        if (_disposed) return Task.CompletedTask;
        var changes = new List<BatchChange>();
        while (_changes.TryDequeue(out var change)) changes.Add(change);
        if (changes.Count > 0) Apply(changes);
        StateHasChanged();
        return Task.CompletedTask;
    }

    private async Task ReloadAsync()
    {
        if (_disposed) return;
        await LoadAsync();
        StateHasChanged();
    }

    private void OnReconnected() => _ = InvokeAsync(async () =>
    {
        try
        {
            await ReloadAsync();
        }
        catch (Exception e)
        {
            await DispatchExceptionAsync(e);
        }
    });

    private void Fail(Exception e) => _ = InvokeAsync(() => DispatchExceptionAsync(e));

    public virtual void Dispose()
    {
        _disposed = true;
        _subscription?.Dispose();
        _schedules?.Dispose();
        _ticker?.Dispose();
        _renders?.Dispose();
        _reloads?.Dispose();
        if (_live) Connection.Reconnected -= OnReconnected;
        GC.SuppressFinalize(this);
    }
}
