namespace BatchMonitor.Core.Engine.Writing;

/// <summary>Items finished per second over the last ten seconds, in one-second buckets.</summary>
internal sealed class ThroughputMeter(TimeProvider time)
{
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
        var span = Math.Clamp(elapsed, 1, Seconds);
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
