using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Telemetry;

/// <summary>
/// Queued and running batches for the gauges: one small count query, at most once per <see cref="MaxAge"/> however
/// many instruments or scrapers read it. A failed query keeps the last counts (a scrape never throws).
/// </summary>
public sealed class BatchCountsGauge(IDbContextFactory<BatchMonitorDbContext> contexts, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private (long Queued, long Running) _counts;
    private DateTimeOffset? _readAt;

    public (long Queued, long Running) Read()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_readAt is { } at && now - at < MaxAge) return _counts;
            _readAt = now;
            try
            {
                using var db = contexts.CreateDbContext();
                var counts = db.Batches.Where(b => b.Status == BatchStatus.Queued || b.Status == BatchStatus.Running)
                    .GroupBy(b => b.Status).Select(g => new { Status = g.Key, Count = g.LongCount() }).ToList();
                _counts = (counts.Where(c => c.Status == BatchStatus.Queued).Sum(c => c.Count),
                    counts.Where(c => c.Status == BatchStatus.Running).Sum(c => c.Count));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The last counts stand; the database's trouble shows in /healthz and the logs.
            }
            return _counts;
        }
    }
}
