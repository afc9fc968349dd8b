using System.Collections.Concurrent;
using System.Globalization;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Scheduling;

namespace BatchMonitor.Web.Components.Schedules;

/// <summary>How the schedule pages write timings, zones and "in 42 s": one way everywhere, culture-independent.</summary>
public static class ScheduleFormat
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);

    /// <summary>"every 30 s", "every 10 min", "every 2 h", or the cron expression.</summary>
    public static string Timing(ScheduleView schedule) =>
        schedule.Cron ?? (schedule.IntervalSeconds is { } s ? Every(s) : "–");

    public static string Every(int seconds) => seconds switch
    {
        _ when seconds >= 3600 && seconds % 3600 == 0 => $"every {seconds / 3600} h",
        _ when seconds >= 60 && seconds % 60 == 0 => $"every {seconds / 60} min",
        _ => $"every {seconds} s",
    };

    /// <summary>A stored schedule's zone (valid when it was saved); UTC if this machine no longer knows it.</summary>
    public static TimeZoneInfo Zone(string id) => Zones.GetOrAdd(id, static id =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc);

    public static DateTime ToLocal(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);

    /// <summary>A moment in the schedule's zone: 14:05:00 today (there), else Nov 23, 09:00 (and the year when not this one).</summary>
    public static string Local(DateTime utc, TimeZoneInfo zone, DateTime now, bool withDate = false)
    {
        var local = ToLocal(utc, zone);
        var today = ToLocal(now, zone).Date;
        if (!withDate && local.Date == today) return local.ToString("HH:mm:ss", Culture);
        return local.ToString(local.Year == today.Year ? "ddd MMM d, HH:mm:ss" : "ddd MMM d yyyy, HH:mm:ss", Culture);
    }

    /// <summary>The zone's offset at that moment: UTC+09:00, UTC−05:00, UTC.</summary>
    public static string Offset(DateTime utc, TimeZoneInfo zone)
    {
        var offset = zone.GetUtcOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        if (offset == TimeSpan.Zero) return "UTC";
        return $"UTC{(offset < TimeSpan.Zero ? "−" : "+")}{offset.Duration():hh\\:mm}";
    }

    /// <summary>How far ahead a moment is, to the second: "in 42 s", "in 4 min 05 s", "in 2 h 05 min", "in 3 d 4 h"; "due now" once reached.</summary>
    public static string Relative(DateTime target, DateTime now)
    {
        var span = target - now;
        if (span <= TimeSpan.Zero) return "due now";
        // Counting down: a moment 41.2 s ahead reads "in 42 s" until it is 41 s ahead.
        var seconds = (long)Math.Ceiling(span.TotalSeconds);
        return seconds switch
        {
            < 60 => $"in {seconds} s",
            < 3600 => $"in {seconds / 60} min {seconds % 60:00} s",
            < 86400 => $"in {seconds / 3600} h {seconds % 3600 / 60:00} min",
            _ => $"in {seconds / 86400} d {seconds % 86400 / 3600} h",
        };
    }

    /// <summary>A past moment: "12 s ago", "4 min ago", "2 h ago", "3 d ago".</summary>
    public static string Ago(DateTime moment, DateTime now)
    {
        var seconds = (long)Math.Max(0, (now - moment).TotalSeconds);
        return seconds switch
        {
            < 60 => $"{seconds} s ago",
            < 3600 => $"{seconds / 60} min ago",
            < 86400 => $"{seconds / 3600} h ago",
            _ => $"{seconds / 86400} d ago",
        };
    }

    public static string Outcome(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Started => "started",
        RunOutcome.Skipped => "skipped",
        _ => "failed",
    };
}
