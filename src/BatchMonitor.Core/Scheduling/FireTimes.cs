using BatchMonitor.Core.Validation;
using Quartz;

namespace BatchMonitor.Core.Scheduling;

/// <summary>
/// When a schedule fires. A cron expression (Quartz format, seconds first) is read in the schedule's time zone,
/// so "0 0 9 * * ?" stays at 09:00 local time across daylight-saving changes (a time that a change skips fires
/// at the first valid moment after it). An interval is absolute: every N seconds of real time.
/// </summary>
public sealed class FireTimes
{
    public const int MaxIntervalSeconds = 366 * 24 * 3600;

    /// <summary>Longest cron expression accepted (the column's size; real ones are a few dozen characters).</summary>
    public const int MaxCronLength = 200;

    /// <summary>Longest time zone name accepted (IANA names are at most about 30 characters).</summary>
    public const int MaxTimeZoneLength = 100;
    private readonly CronExpression? _cron;
    private readonly TimeSpan? _interval;

    private FireTimes(CronExpression? cron, TimeSpan? interval, TimeZoneInfo zone)
    {
        _cron = cron;
        _interval = interval;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>
    /// Checks the three fields together, as of <paramref name="now"/> (UTC: a cron expression that never fires after it
    /// is refused); errors are keyed cron, intervalSeconds and timeZone.
    /// </summary>
    public static ValidationErrors TryCreate(string? cron, int? intervalSeconds, string? timeZone, DateTime now, out FireTimes? times) =>
        Create(cron, intervalSeconds, timeZone, now, out times);

    private static ValidationErrors Create(string? cron, int? intervalSeconds, string? timeZone, DateTime? now, out FireTimes? times)
    {
        times = null;
        var errors = new ValidationErrors();
        var zone = TimeZoneInfo.Utc;
        if (timeZone?.Trim().Length > MaxTimeZoneLength)
            errors.Add("timeZone", $"A time zone name has at most {MaxTimeZoneLength} characters; use an IANA name such as Europe/Berlin.");
        else if (!string.IsNullOrWhiteSpace(timeZone) && !TryFindZone(timeZone.Trim(), out zone))
            errors.Add("timeZone", $"'{timeZone}' is not a known time zone; use an IANA name such as Europe/Berlin, Asia/Seoul or UTC.");

        var hasCron = !string.IsNullOrWhiteSpace(cron);
        if (hasCron == intervalSeconds.HasValue)
        {
            errors.Add(hasCron ? "intervalSeconds" : "cron", "Give either a cron expression or an interval in seconds, not both.");
            return errors;
        }

        CronExpression? expression = null;
        if (hasCron && cron!.Trim().Length > MaxCronLength)
        {
            errors.Add("cron", $"A cron expression has at most {MaxCronLength} characters (this one has {cron.Trim().Length:N0}); " +
                               "the format is second minute hour day-of-month month day-of-week [year], e.g. 0 */10 * * * ?");
        }
        else if (hasCron)
        {
            try
            {
                expression = CronExpression.Parse(cron!.Trim()).WithTimeZone(zone);
                if (now is { } at && expression.GetNextValidTimeAfter(new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))) is null)
                    errors.Add("cron", "This cron expression never fires again.");
            }
            catch (FormatException e)
            {
                errors.Add("cron", $"'{cron}' is not a valid cron expression: {e.Message} " +
                                   "The format is second minute hour day-of-month month day-of-week [year], e.g. 0 */10 * * * ?");
            }
        }
        else if (intervalSeconds is < 1 or > MaxIntervalSeconds)
        {
            errors.Add("intervalSeconds", $"intervalSeconds must be between 1 and {MaxIntervalSeconds:N0} (a year).");
        }

        if (errors.IsValid) times = new FireTimes(expression, intervalSeconds is { } s ? TimeSpan.FromSeconds(s) : null, zone);
        return errors;
    }

    /// <summary>For a stored schedule (already valid; one whose cron no longer fires has no next fire).</summary>
    public static FireTimes For(string? cron, int? intervalSeconds, string timeZone)
    {
        var errors = Create(cron, intervalSeconds, timeZone, null, out var times);
        return times ?? throw new InvalidOperationException(errors.ToString());
    }

    /// <summary>The first fire strictly after <paramref name="after"/> (UTC).</summary>
    public DateTime? NextAfter(DateTime after)
    {
        var utc = DateTime.SpecifyKind(after, DateTimeKind.Utc);
        if (_interval is { } interval) return utc + interval;
        return _cron!.GetNextValidTimeAfter(new DateTimeOffset(utc))?.UtcDateTime;
    }

    /// <summary>The next <paramref name="count"/> fires after <paramref name="after"/>.</summary>
    public IReadOnlyList<DateTime> Next(DateTime after, int count)
    {
        var times = new List<DateTime>(count);
        var t = after;
        while (times.Count < count && NextAfter(t) is { } next)
        {
            times.Add(next);
            t = next;
        }
        return times;
    }

    /// <summary>How many fires fall in [<paramref name="from"/>, <paramref name="to"/>]; counting stops at 10,000.</summary>
    public int CountBetween(DateTime from, DateTime to)
    {
        if (to < from) return 0;
        if (_interval is { } interval) return (int)Math.Min(10_000, Math.Floor((to - from) / interval) + 1);
        var count = 1;
        var t = from;
        while (count < 10_000 && NextAfter(t) is { } next && next <= to)
        {
            count++;
            t = next;
        }
        return count;
    }

    /// <summary>A UTC time as local time in the schedule's zone.</summary>
    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    private static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
