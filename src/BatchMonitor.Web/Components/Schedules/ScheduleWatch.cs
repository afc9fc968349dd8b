using BatchMonitor.Core.Views;

namespace BatchMonitor.Web.Components.Schedules;

/// <summary>
/// A schedule page's second line of hearing. Saved, switched and recorded fires arrive as
/// <see cref="BatchMonitor.Core.Events.ScheduleEvents"/> (<see cref="Live.LiveComponentBase"/> reads the page again);
/// this watch also reads again when a batch with the page's <see cref="BatchView.ScheduleId"/> appears before its fire
/// is visible, or when a next run the page shows has come and gone without a word (a fire still being recorded, or
/// a scheduler on another node). At most one read per fire; between fires the page reads nothing.
/// </summary>
public sealed class ScheduleWatch
{
    /// <summary>How long after a due time the first read happens (the scheduler records the fire in that time).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    /// <summary>A batch is announced before its fire is recorded: read again a few times until the read shows it.</summary>
    private const int MaxRereads = 5;

    private readonly Dictionary<Guid, int> _unseen = [];
    private readonly HashSet<Guid> _known = [];
    private DateTime? _overdueRead;
    private TimeSpan _backoff = Grace;

    /// <summary>Batches the last read showed (each schedule's last batch, the history's batches).</summary>
    public void Loaded(IEnumerable<Guid> batchIds)
    {
        _known.Clear();
        _known.UnionWith(batchIds);
        foreach (var id in _unseen.Keys.ToList())
        {
            if (_known.Contains(id)) _unseen.Remove(id);
        }
    }

    /// <summary>True when the last read missed a batch the events announced: read once more (a few times at most).</summary>
    public bool ShouldReadAgain()
    {
        var again = false;
        foreach (var (id, reads) in _unseen.ToList())
        {
            if (reads >= MaxRereads) continue;
            _unseen[id] = reads + 1;
            again = true;
        }
        return again;
    }

    /// <summary>A batch announced by the engine: true when a schedule of this page started it and the page has not read it yet.</summary>
    public bool Saw(BatchView batch, Func<Guid, bool> follows)
    {
        if (batch.ScheduleId is not { } scheduleId || !follows(scheduleId) || _known.Contains(batch.Id)) return false;
        return _unseen.TryAdd(batch.Id, 0);
    }

    /// <summary>
    /// True when a shown next run passed more than <see cref="Grace"/> ago and has not been read since: once per fire,
    /// then (while the read still shows it overdue: a slow or stopped scheduler) less and less often, at most once a minute.
    /// </summary>
    public bool Overdue(IEnumerable<DateTime?> nextRuns, DateTime now)
    {
        var overdue = nextRuns.Any(n => n is { } next && now - next >= Grace);
        if (!overdue)
        {
            _overdueRead = null;
            _backoff = Grace;
            return false;
        }
        if (_overdueRead is { } last && now - last < _backoff) return false;
        if (_overdueRead is not null) _backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, _backoff.Ticks * 2));
        _overdueRead = now;
        return true;
    }
}
