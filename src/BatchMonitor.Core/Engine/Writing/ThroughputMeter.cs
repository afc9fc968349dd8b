namespace BatchMonitor.Core.Engine.Writing;

/// <summary>
/// Items finished per second over the last ten seconds, in one-second buckets. In the first second the count is divided
/// by the time elapsed, but by no less than <paramref name="shortest"/> (one second unless given), so a few items do not
/// make a large rate.
/// </summary>
internal sealed class ThroughputMeter(TimeProvider time, TimeSpan? shortest = null)
{
    private readonly double _shortest = (shortest ?? TimeSpan.FromSeconds(1)).TotalSeconds;
    private const int Seconds = 10;
    private readonly int[] _buckets = new int[Seconds];
    private readonly long _origin = time.GetTimestamp();
    private long _currentSecond;

    public void Add(int finished)
    {
        Advance();
        _buckets[_currentSecond % Seconds] += finished;
    }

    public double Rate()
    {
        Advance();
        var elapsed = time.GetElapsedTime(_origin).TotalSeconds;
        var span = Math.Clamp(elapsed, _shortest, Seconds);
        return _buckets.Sum() / span;
    }

    private void Advance()
    {
        var second = (long)time.GetElapsedTime(_origin).TotalSeconds;
        if (second == _currentSecond) return;
        for (var s = _currentSecond + 1; s <= second && s - _currentSecond <= Seconds; s++) _buckets[s % Seconds] = 0;
        _currentSecond = second;
    }
}
