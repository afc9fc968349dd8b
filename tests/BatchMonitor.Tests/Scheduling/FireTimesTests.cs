using BatchMonitor.Core.Scheduling;

namespace BatchMonitor.Tests.Scheduling;

public sealed class FireTimesTests
{
    private static DateTime Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public void A_daily_cron_keeps_its_local_time_across_the_spring_and_autumn_changes()
    {
        var times = FireTimes.For("0 0 9 * * ?", null, "Europe/Berlin");

        // Berlin: CET (UTC+1) until 2026-03-29, CEST (UTC+2) until 2026-10-25.
        Assert.Equal([Utc(3, 28, 8), Utc(3, 29, 7), Utc(3, 30, 7)], times.Next(Utc(3, 27, 12), 3));
        Assert.Equal([Utc(10, 24, 7), Utc(10, 25, 8), Utc(10, 26, 8)], times.Next(Utc(10, 23, 12), 3));
        Assert.All(times.Next(Utc(3, 27, 12), 3).Concat(times.Next(Utc(10, 23, 12), 3)), t => Assert.Equal(9, times.ToLocal(t).Hour));
    }

    [Fact]
    public void A_cron_time_skipped_by_the_spring_change_fires_at_the_first_valid_moment()
    {
        var times = FireTimes.For("0 30 2 * * ?", null, "Europe/Berlin");

        var next = times.Next(Utc(3, 28, 12), 2);

        Assert.Equal(Utc(3, 29, 1), next[0]); // 02:30 does not exist that night: 03:00 CEST
        Assert.Equal(Utc(3, 30, 0, 30), next[1]);
    }

    [Fact]
    public void An_interval_is_real_time_whatever_the_clocks_do()
    {
        var times = FireTimes.For(null, 3600, "America/New_York");

        var next = times.Next(Utc(11, 1, 4), 4); // New York falls back at 06:00 UTC

        Assert.Equal([Utc(11, 1, 5), Utc(11, 1, 6), Utc(11, 1, 7), Utc(11, 1, 8)], next);
        Assert.Equal(times.ToLocal(next[0]).Hour, times.ToLocal(next[1]).Hour); // 01:00 EDT, then 01:00 EST
    }

    [Fact]
    public void Missed_fires_are_counted_between_two_times()
    {
        Assert.Equal(6, FireTimes.For("0 */10 * * * ?", null, "UTC").CountBetween(Utc(1, 1, 9, 10), Utc(1, 1, 10, 5)));
        Assert.Equal(61, FireTimes.For(null, 60, "UTC").CountBetween(Utc(1, 1, 9), Utc(1, 1, 10)));
    }

    [Theory]
    [InlineData("0 */10 * * *", null, null, "cron", "has 5 fields")]
    [InlineData("0 0 25 * * ?", null, null, "cron", "Hour values must be between 0 and 23")]
    [InlineData("every minute", null, null, "cron", "is not a valid cron expression")]
    [InlineData(null, null, null, "cron", "Give either a cron expression or an interval")]
    [InlineData("0 * * * * ?", 60, null, "intervalSeconds", "not both")]
    [InlineData(null, 0, null, "intervalSeconds", "between 1 and")]
    [InlineData(null, FireTimes.MaxIntervalSeconds + 1, null, "intervalSeconds", "between 1 and")]
    [InlineData("0 * * * * ?", null, "Mars/Olympus", "timeZone", "not a known time zone")]
    public void Bad_timing_is_refused_with_a_clear_message(string? cron, int? interval, string? zone, string field, string message)
    {
        var errors = FireTimes.TryCreate(cron, interval, zone, Utc(3, 2, 9), out var times);

        Assert.Null(times);
        Assert.Contains(errors.For(field), m => m.Contains(message));
    }

    [Fact]
    public void A_cron_that_fires_no_more_after_the_given_moment_is_refused_as_of_that_moment_and_a_stored_one_just_stops()
    {
        const string once = "0 0 9 1 3 ? 2026"; // 1 March 2026, 09:00

        Assert.True(FireTimes.TryCreate(once, null, "UTC", Utc(2, 1, 9), out _).IsValid);
        var errors = FireTimes.TryCreate(once, null, "UTC", Utc(3, 2, 9), out var times);
        Assert.Null(times);
        Assert.Contains(errors.For("cron"), m => m.Contains("never fires again"));
        Assert.Null(FireTimes.For(once, null, "UTC").NextAfter(Utc(3, 2, 9)));
    }
}
