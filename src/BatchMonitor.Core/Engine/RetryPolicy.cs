namespace BatchMonitor.Core.Engine;

/// <summary>Exponential backoff: the delay before attempt n+1 is <c>base · 2^(n-1)</c>, spread by jitter.</summary>
public static class RetryPolicy
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    /// <param name="failedAttempt">The attempt that just failed, from 1.</param>
    /// <param name="baseDelayMs">retryBaseDelayMs.</param>
    /// <param name="jitter">A sample in [-1, 1]; 0 gives the exact doubling.</param>
    /// <param name="jitterShare">How far the sample can move the delay: 0.1 is ±10 %.</param>
    public static TimeSpan NextDelay(int failedAttempt, int baseDelayMs, double jitter = 0, double jitterShare = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempt, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(baseDelayMs);
        var exponent = Math.Min(failedAttempt - 1, 40);
        var ms = baseDelayMs * Math.Pow(2, exponent) * (1 + Math.Clamp(jitter, -1, 1) * jitterShare);
        return ms >= MaxDelay.TotalMilliseconds ? MaxDelay : TimeSpan.FromMilliseconds(Math.Max(0, Math.Round(ms)));
    }
}
