namespace BatchMonitor.Tests.Support;

/// <summary>
/// A clock over another one (the fake clock) whose timers refuse what the system's refuse: a due time or period over
/// 2^32 - 2 ms (about 49.7 days) throws. A test can make it refuse more with <see cref="Refuse"/>, to stand for a
/// timer the engine cannot set.
/// </summary>
public sealed class StrictTimers(TimeProvider inner) : TimeProvider
{
    public static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private int _refused;

    /// <summary>Due times to refuse as well as the ones the system refuses.</summary>
    public Func<TimeSpan, bool>? Refuse { get; set; }

    /// <summary>Timers refused so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Check(dueTime, period);
        return new Timer(this, inner.CreateTimer(callback, state, dueTime, period));
    }

    private void Check(TimeSpan dueTime, TimeSpan period)
    {
        foreach (var (value, name) in new[] { (dueTime, nameof(dueTime)), (period, nameof(period)) })
        {
            if (value != Timeout.InfiniteTimeSpan && (value < TimeSpan.Zero || value > Longest))
                Throw(name, value, "The timer cannot wait that long (at most 4294967294 ms).");
        }
        if (dueTime != Timeout.InfiniteTimeSpan && Refuse?.Invoke(dueTime) == true)
            Throw(nameof(dueTime), dueTime, "The test refuses this timer.");
    }

    private void Throw(string name, TimeSpan value, string message)
    {
        Interlocked.Increment(ref _refused);
        throw new ArgumentOutOfRangeException(name, value, message);
    }

    private sealed class Timer(StrictTimers owner, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Check(dueTime, period);
            return inner.Change(dueTime, period);
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
