using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Events;

/// <summary>
/// Announces, after commit, that a schedule changed: created, edited, enabled or disabled, deleted, or a fire recorded
/// in its history (started, skipped or failed to start). A change carries only the schedule's id: a page that shows
/// schedules reads them again. Schedules change rarely (a fire a minute at most each), so nothing is coalesced.
/// </summary>
public sealed class ScheduleEvents(ILogger<ScheduleEvents> logger)
{
    private readonly Lock _gate = new();
    private List<Action<Guid>> _subscribers = [];

    public int SubscriberCount => Volatile.Read(ref _subscribers).Count;

    public IDisposable Subscribe(Action<Guid> onChanged)
    {
        lock (_gate) _subscribers = [.. _subscribers, onChanged];
        return new Subscription(this, onChanged);
    }

    /// <summary>Tells every subscriber; one that throws is logged and the others still hear of it.</summary>
    public void Changed(Guid scheduleId)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            try
            {
                subscriber(scheduleId);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "A subscriber failed on a change of schedule {Schedule}", scheduleId);
            }
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
