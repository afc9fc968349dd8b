using System.Globalization;

namespace BatchMonitor.Web.Components.Schedules;

/// <summary>
/// A Quartz cron expression (second minute hour day-of-month month day-of-week [year]) in words, for its common
/// shapes: "every 10 minutes", "hourly at :15", "daily at 09:00", "weekdays at 09:00". Anything else is "custom"
/// (the next runs listed beside it say exactly when).
/// </summary>
public static class CronDescription
{
    public const string Custom = "custom";

    private static readonly Dictionary<string, string> Days = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SUN"] = "Sunday", ["MON"] = "Monday", ["TUE"] = "Tuesday", ["WED"] = "Wednesday",
        ["THU"] = "Thursday", ["FRI"] = "Friday", ["SAT"] = "Saturday",
        ["1"] = "Sunday", ["2"] = "Monday", ["3"] = "Tuesday", ["4"] = "Wednesday",
        ["5"] = "Thursday", ["6"] = "Friday", ["7"] = "Saturday",
    };

    /// <summary>The expression in words; null when there is none.</summary>
    public static string? Describe(string? cron)
    {
        if (string.IsNullOrWhiteSpace(cron)) return null;
        var f = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length is not (6 or 7) || f.Length == 7 && f[6] != "*") return Custom;
        var (second, minute, hour, dayOfMonth, month, dayOfWeek) = (f[0], f[1], f[2], f[3], f[4], f[5]);
        if (month != "*") return Custom;
        var anyDayOfMonth = dayOfMonth is "*" or "?";
        var anyDayOfWeek = dayOfWeek is "*" or "?";
        if (!anyDayOfMonth && !anyDayOfWeek) return Custom;

        if (anyDayOfMonth && anyDayOfWeek && hour == "*")
        {
            if (minute == "*" && Step(second) is { } seconds) return seconds == 1 ? "every second" : $"every {seconds} seconds";
            if (second == "*" && minute == "*") return "every second";
            if (Number(second, 59) is null) return Custom;
            if (Step(minute) is { } minutes) return minutes == 1 ? "every minute" : $"every {minutes} minutes";
            if (Number(minute, 59) is { } m) return $"hourly at :{m:00}";
            return Custom;
        }

        if (Number(second, 59) is null || Number(minute, 59) is not { } atMinute) return Custom;
        if (anyDayOfMonth && anyDayOfWeek && hour.StartsWith("*/", StringComparison.Ordinal) && Step(hour) is { } hours)
            return hours == 1 ? $"hourly at :{atMinute:00}" : $"every {hours} hours at :{atMinute:00}";
        if (Number(hour, 23) is not { } atHour) return Custom;
        var at = $"{atHour:00}:{atMinute:00}";

        if (anyDayOfMonth && anyDayOfWeek) return $"daily at {at}";
        if (!anyDayOfMonth) return Number(dayOfMonth, 31) is { } day and >= 1 ? $"monthly on day {day} at {at}" : Custom;
        return dayOfWeek.ToUpperInvariant() switch
        {
            "MON-FRI" or "2-6" => $"weekdays at {at}",
            "SAT,SUN" or "SUN,SAT" or "1,7" or "7,1" => $"weekends at {at}",
            _ when Days.TryGetValue(dayOfWeek, out var name) => $"every {name} at {at}",
            _ => Custom,
        };
    }

    /// <summary>"*" is a step of 1; "*/N" and "0/N" a step of N.</summary>
    private static int? Step(string field)
    {
        if (field == "*") return 1;
        var slash = field.IndexOf('/');
        if (slash < 0 || field[..slash] is not ("*" or "0")) return null;
        return int.TryParse(field[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : null;
    }

    private static int? Number(string field, int max) =>
        int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max ? n : null;
}
