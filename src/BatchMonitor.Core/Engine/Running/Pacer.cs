using System.Threading.RateLimiting;

namespace BatchMonitor.Core.Engine.Running;

/// <summary>
/// ratePerSecond: a token bucket (System.Threading.RateLimiting) refilled by a timer on the engine's clock,
/// one period's worth of tokens at a time, so there is no burst above the rate.
/// </summary>
internal sealed class Pacer : IDisposable
{
    private readonly TokenBucketRateLimiter _bucket;
    private readonly ITimer _timer;

    public Pacer(double ratePerSecond, TimeProvider time, Action refilled)
    {
        var tokensPerPeriod = Math.Max(1, (int)Math.Round(ratePerSecond / 10));
        var period = TimeSpan.FromSeconds(tokensPerPeriod / ratePerSecond);
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokensPerPeriod,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = period,
            AutoReplenishment = false,
            QueueLimit = 0,
        });
        _timer = time.CreateTimer(_ =>
        {
            _bucket.TryReplenish();
            refilled();
        }, null, period, period);
    }

    public bool TryTake()
    {
        using var lease = _bucket.AttemptAcquire(1);
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _timer.Dispose();
        _bucket.Dispose();
    }
}
