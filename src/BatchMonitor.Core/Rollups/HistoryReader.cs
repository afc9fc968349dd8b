using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Rollups;

/// <summary>Reads a window of the per-minute rollups, summed per minute in the database and folded into steps here.</summary>
public sealed class HistoryReader(IDbContextFactory<BatchMonitorDbContext> contexts, HandlerRegistry handlers, TimeProvider time)
{
    /// <summary>Whether <paramref name="handler"/> is registered or has minutes stored (a handler removed since still has its history).</summary>
    public async Task<bool> IsKnownHandlerAsync(string handler, CancellationToken ct = default)
    {
        if (handlers.TryGet(handler, out _)) return true;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ThroughputMinutes.AnyAsync(m => m.Handler == handler, ct);
    }

    /// <summary>The window cut into <paramref name="step"/>s (one the window allows), for one handler or all (null).</summary>
    public async Task<HistoryView> ReadAsync(HistoryWindow window, string step, string? handler, CancellationToken ct = default)
    {
        if (!window.Allows(step)) throw new ArgumentException($"Step {step} does not cut window {window.Name}.", nameof(step));
        var span = HistoryWindow.StepOf(step)!.Value;
        var count = (int)(window.Span / span);
        var to = Minutes.Floor(time.GetUtcNow().UtcDateTime, span) + span;
        var from = to - count * span;

        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = db.ThroughputMinutes.AsNoTracking().Where(m => m.Minute >= from && m.Minute < to);
        if (handler is not null) rows = rows.Where(m => m.Handler == handler);
        var minutes = await rows.GroupBy(m => m.Minute).Select(g => new ThroughputMinute
        {
            Minute = g.Key,
            Succeeded = g.Sum(m => m.Succeeded),
            Failed = g.Sum(m => m.Failed),
            DurationMsSum = g.Sum(m => m.DurationMsSum),
            QueueDepth = g.Sum(m => m.QueueDepth),
            Bucket00 = g.Sum(m => m.Bucket00), Bucket01 = g.Sum(m => m.Bucket01), Bucket02 = g.Sum(m => m.Bucket02),
            Bucket03 = g.Sum(m => m.Bucket03), Bucket04 = g.Sum(m => m.Bucket04), Bucket05 = g.Sum(m => m.Bucket05),
            Bucket06 = g.Sum(m => m.Bucket06), Bucket07 = g.Sum(m => m.Bucket07), Bucket08 = g.Sum(m => m.Bucket08),
            Bucket09 = g.Sum(m => m.Bucket09), Bucket10 = g.Sum(m => m.Bucket10), Bucket11 = g.Sum(m => m.Bucket11),
            Bucket12 = g.Sum(m => m.Bucket12), Bucket13 = g.Sum(m => m.Bucket13),
        }).ToListAsync(ct);

        var points = new Acc[count];
        for (var i = 0; i < count; i++) points[i] = new Acc();
        foreach (var minute in minutes)
        {
            var at = DateTime.SpecifyKind(minute.Minute, DateTimeKind.Utc);
            var index = (int)((Minutes.Floor(at, span) - from) / span);
            if (index < 0 || index >= count) continue;
            points[index].Add(minute);
        }
        return new HistoryView(window.Name, step, handler, from, to,
            [.. points.Select((p, i) => new HistoryPoint(from + i * span, p.Succeeded, p.Failed, p.DurationMs, p.Buckets, p.QueueDepth))]);
    }

    private sealed class Acc
    {
        public int Succeeded;
        public int Failed;
        public long DurationMs;
        public int QueueDepth;
        public readonly long[] Buckets = new long[DurationBuckets.Count];

        public void Add(ThroughputMinute m)
        {
            Succeeded += m.Succeeded;
            Failed += m.Failed;
            DurationMs += m.DurationMsSum;
            QueueDepth = Math.Max(QueueDepth, m.QueueDepth ?? 0);
            int[] b = [m.Bucket00, m.Bucket01, m.Bucket02, m.Bucket03, m.Bucket04, m.Bucket05, m.Bucket06,
                m.Bucket07, m.Bucket08, m.Bucket09, m.Bucket10, m.Bucket11, m.Bucket12, m.Bucket13];
            for (var i = 0; i < b.Length; i++) Buckets[i] += b[i];
        }
    }
}
