using System.Globalization;
using BatchMonitor.Core.Rollups;
using BatchMonitor.Web.Components.Ui;

namespace BatchMonitor.Web.Components.History;

/// <summary>The three drawings of a window (finished items, durations, queue depth) and its times in the reader's zone.</summary>
public static class HistoryCharts
{
    /// <summary>Green, red, blue and amber that read on both themes' surfaces (the chart's SVG takes colours, not CSS variables).</summary>
    private const string Good = "#22c55e";
    private const string Bad = "#ef4444";
    private const string Mean = "#3b82f6";
    private const string Slow = "#f59e0b";
    private const string Queue = "#a855f7";

    public static ChartData Finished(IReadOnlyList<HistoryPoint> points, string window, TimeZoneInfo zone) =>
        new(Labels(points, window, zone),
        [
            new ChartValues("Succeeded", Good, [.. points.Select(p => (double?)p.Succeeded)]),
            new ChartValues("Failed", Bad, [.. points.Select(p => (double?)p.Failed)]),
        ]);

    public static ChartData Durations(IReadOnlyList<HistoryPoint> points, string window, TimeZoneInfo zone) =>
        new(Labels(points, window, zone),
        [
            new ChartValues("Mean ms", Mean, [.. points.Select(p => p.MeanMs)]),
            new ChartValues("p95 ms", Slow, [.. points.Select(p => p.P95Ms)]),
        ], Lines: true);

    public static ChartData QueueDepth(IReadOnlyList<HistoryPoint> points, string window, TimeZoneInfo zone) =>
        new(Labels(points, window, zone), [new ChartValues("Queue depth", Queue, [.. points.Select(p => (double?)p.QueueDepth)])], Lines: true);

    /// <summary>About six ticks: every ten minutes over an hour, every four hours over a day, each day's start over a week.</summary>
    public static IReadOnlyList<string> Labels(IReadOnlyList<HistoryPoint> points, string window, TimeZoneInfo zone)
    {
        var labels = new string[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            var local = Local(points[i].At, zone);
            var previous = i == 0 ? (DateTime?)null : Local(points[i - 1].At, zone);
            labels[i] = window switch
            {
                "1h" => local.Minute % 10 == 0 ? local.ToString("HH:mm", CultureInfo.InvariantCulture) : "",
                "24h" => local.Minute == 0 && local.Hour % 4 == 0 ? local.ToString("HH:mm", CultureInfo.InvariantCulture) : "",
                _ => previous is { } p && p.Date != local.Date ? local.ToString("ddd", CultureInfo.InvariantCulture) : "",
            };
        }
        return labels;
    }

    /// <summary>A step's start as the table shows it: the time today, the day and time before.</summary>
    public static string When(DateTime at, TimeZoneInfo zone, DateTime now)
    {
        var local = Local(at, zone);
        var today = Local(now, zone).Date;
        return local.ToString(local.Date == today ? "HH:mm" : "ddd MMM d, HH:mm", CultureInfo.InvariantCulture);
    }

    private static DateTime Local(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
}
