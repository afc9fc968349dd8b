using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace BatchMonitor.Web.Auth.ApiKeys;

/// <summary>
/// Counts wrong API keys per client address (a fixed window of one minute). Once an address has used up its
/// failures, its wrong keys get 429 until the window ends; a right key from that address still signs in.
/// </summary>
public sealed class ApiKeyFailureLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public ApiKeyFailureLimiter(IOptions<AuthSettings> settings)
    {
        var permits = Math.Max(1, settings.Value.ApiKeyFailuresPerMinute);
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    /// <summary>True when the address has no failures left; <paramref name="retryAfter"/> says for how long.</summary>
    public bool IsBlocked(string address, out TimeSpan? retryAfter)
    {
        using var probe = _limiter.AttemptAcquire(address, 0);
        retryAfter = !probe.IsAcquired && probe.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : null;
        return !probe.IsAcquired;
    }

    public void RecordFailure(string address)
    {
        using var _ = _limiter.AttemptAcquire(address);
    }

    public void Dispose() => _limiter.Dispose();
}
