using System.Globalization;

namespace BatchMonitor.Web.Components.Ui;

/// <summary>How the pages write numbers, durations and rates: one way everywhere, culture-independent.</summary>
public static class Format
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static string Count(long value) => value.ToString("N0", Culture);

    /// <summary>A count with its noun, singular or plural: "1 row", "2 rows", "1 batch", "3 batches" (<paramref name="many"/> when not just +s).</summary>
    public static string Count(long value, string one, string? many = null) =>
        $"{Count(value)} {(value == 1 ? one : many ?? one + "s")}";

    /// <summary>1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st.</summary>
    public static string Ordinal(int n) => Count(n) + ((n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch
    {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    });

    public static string Percent(double share) => (share * 100).ToString(share is > 0 and < 0.1 ? "0.0" : "0", Culture) + "%";

    /// <summary>A number for an attribute (aria-valuenow, data-*): invariant, no grouping.</summary>
    public static string Attribute(double value) => value.ToString("0.##", Culture);

    public static string Rate(double perSecond) => perSecond switch
    {
        <= 0 => "–",
        < 10 => perSecond.ToString("0.0#", Culture) + "/s",
        _ => perSecond.ToString("N0", Culture) + "/s",
    };

    /// <summary>A ticking clock: <c>0:07</c>, <c>12:45</c>, <c>1:02:03</c>.</summary>
    public static string Clock(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        var hours = (long)span.TotalHours;
        return hours > 0
            ? $"{hours}:{span.Minutes:00}:{span.Seconds:00}"
            : $"{span.Minutes}:{span.Seconds:00}";
    }

    /// <summary>A rough amount of time: <c>45s</c>, <c>3m 20s</c>, <c>2h 05m</c>, <c>3d 4h</c>.</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        return span.TotalSeconds switch
        {
            < 60 => $"{(int)span.TotalSeconds}s",
            < 3600 => $"{span.Minutes}m {span.Seconds:00}s",
            < 86400 => $"{(int)span.TotalHours}h {span.Minutes:00}m",
            _ => $"{(int)span.TotalDays}d {span.Hours}h",
        };
    }

    public static string Milliseconds(long? ms) => ms switch
    {
        null => "–",
        < 1000 => $"{ms} ms",
        < 60_000 => (ms.Value / 1000.0).ToString("0.0", Culture) + " s",
        _ => Span(TimeSpan.FromMilliseconds(ms.Value)),
    };

    public static string Eta(double? seconds) => seconds is { } s ? "~" + Span(TimeSpan.FromSeconds(s)) : "–";

    /// <summary>Elapsed time between two instants; to <paramref name="now"/> while <paramref name="until"/> is null.</summary>
    public static string Elapsed(DateTime? since, DateTime? until, DateTime now) =>
        since is { } s ? Clock((until ?? now) - s) : "–";
}
