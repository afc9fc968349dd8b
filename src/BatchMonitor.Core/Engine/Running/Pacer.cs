using System.Threading.RateLimiting;

namespace BatchMonitor.Core.Engine.Running;

/// <summary>
/// ratePerSecond: at most N item starts in any period of N / rate seconds. Each start holds a permit of a
/// <see cref="ConcurrencyLimiter"/> (System.Threading.RateLimiting) that a timer on the engine's clock gives back
/// one period later, so the pace follows the same clock as everything else (and tests can move it). A period longer
/// than a timer can wait (a rate stored before rates were bounded) is clamped to <see cref="TimerDelay.Longest"/>.
/// </summary>
internal sealed class Pacer : IDisposable
{
    private readonly ConcurrencyLimiter _permits;
    private readonly TimeProvider _time;
    private readonly TimeSpan _period;
    private readonly Action _refilled;
    private readonly List<ITimer> _timers = [];
    private bool _disposed;

    public Pacer(double ratePerSecond, TimeProvider time, Action refilled)
    {
        var perPeriod = (int)Math.Clamp(Math.Round(ratePerSecond / 10), 1, 100_000);
        _period = TimerDelay.FromSeconds(perPeriod / ratePerSecond);
        _permits = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = perPeriod, QueueLimit = 0 });
        _time = time;
        _refilled = refilled;
    }

    /// <summary>Takes a start if the pace allows one now; the start is given back one period later.</summary>
    public bool TryTake()
    {
        var lease = _permits.AttemptAcquire(1);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            return false;
        }
        lock (_timers)
        {
            if (_disposed)
            {
                lease.Dispose();
                return false;
            }
            ITimer? timer = null;
            timer = _time.CreateTimer(_ =>
            {
                lease.Dispose();
                lock (_timers)
                {
                    if (timer is not null) _timers.Remove(timer);
                }
                timer?.Dispose();
                _refilled();
            }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timers.Add(timer);
            timer.Change(_period, Timeout.InfiniteTimeSpan);
        }
        return true;
    }

    public void Dispose()
    {
        lock (_timers)
        {
            _disposed = true;
            foreach (var timer in _timers) timer.Dispose();
            _timers.Clear();
        }
        _permits.Dispose();
    }
}
