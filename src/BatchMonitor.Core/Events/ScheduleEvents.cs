using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Events;

/// <summary>
/// Announces, after commit, that a schedule changed: created, edited, enabled or disabled, deleted, or a fire recorded
/// in its history (started, skipped or failed to start). A change carries only the schedule's id: a page that shows
/// schedules reads them again. Changes are delivered in order on a loop of their own, never on the thread that
/// committed them (a page's circuit saving a schedule does not run other circuits' reads). Schedules change rarely
/// (a fire a minute at most each), so nothing is coalesced.
/// </summary>
public sealed class ScheduleEvents : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Channel<Guid> _changes = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger<ScheduleEvents> _logger;
    private List<Action<Guid>> _subscribers = [];
    private int _undelivered;

    public ScheduleEvents(ILogger<ScheduleEvents> logger)
    {
        _logger = logger;
        _ = Task.Run(DeliverAsync);
    }

    public int SubscriberCount => Volatile.Read(ref _subscribers).Count;

    /// <summary>Changes announced whose subscribers have not all heard of them yet.</summary>
    public int Undelivered => Volatile.Read(ref _undelivered);

    public IDisposable Subscribe(Action<Guid> onChanged)
    {
        lock (_gate) _subscribers = [.. _subscribers, onChanged];
        return new Subscription(this, onChanged);
    }

    /// <summary>Raised for every schedule change this node committed (the relay to other nodes listens), not for other nodes' changes.</summary>
    public event Action<Guid>? ChangedHere;

    /// <summary>Called after the change is committed; subscribers hear of it shortly after, in order.</summary>
    public void Changed(Guid scheduleId)
    {
        ChangedOnOtherNode(scheduleId);
        ChangedHere?.Invoke(scheduleId);
    }

    /// <summary>A change another node committed: subscribers hear of it, the relay does not send it back.</summary>
    public void ChangedOnOtherNode(Guid scheduleId)
    {
        Interlocked.Increment(ref _undelivered);
        if (!_changes.Writer.TryWrite(scheduleId)) Interlocked.Decrement(ref _undelivered);
    }

    public void Dispose() => _changes.Writer.TryComplete();

    private async Task DeliverAsync()
    {
        await foreach (var id in _changes.Reader.ReadAllAsync())
        {
            foreach (var subscriber in Volatile.Read(ref _subscribers))
            {
                try
                {
                    subscriber(id);
                }
                catch (Exception e)
                {
                    _logger.LogWarning(e, "A subscriber failed on a change of schedule {Schedule}", id);
                }
            }
            Interlocked.Decrement(ref _undelivered);
        }
    }

    private void Remove(Action<Guid> onChanged)
    {
        lock (_gate) _subscribers = _subscribers.Where(s => s != onChanged).ToList();
    }

    private sealed class Subscription(ScheduleEvents owner, Action<Guid> onChanged) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Remove(onChanged);
        }
    }
}
