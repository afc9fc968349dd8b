namespace BatchMonitor.Core.Engine;

/// <summary>
/// The longest a timer can be set for: timers, <c>Task.Delay</c> and timed cancellation all refuse more than
/// 2^32 - 2 ms (about 49.7 days). Every wait the engine computes goes through <see cref="Clamp"/>: waking early and
/// looking again costs nothing, while a timer that cannot be set throws on every try.
/// </summary>
internal static class TimerDelay
{
    public static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>The delay, or zero if it is negative, or <see cref="Longest"/> if it is longer.</summary>
    public static TimeSpan Clamp(TimeSpan delay) => delay < TimeSpan.Zero ? TimeSpan.Zero : delay > Longest ? Longest : delay;

    /// <summary>A delay in seconds (any double, infinity included) as a delay a timer takes.</summary>
    public static TimeSpan FromSeconds(double seconds) =>
        double.IsNaN(seconds) || seconds <= 0 ? TimeSpan.Zero
        : seconds >= Longest.TotalSeconds ? Longest
        : TimeSpan.FromSeconds(seconds);

    /// <summary>How long from now until <paramref name="at"/> on this clock, as a delay a timer takes.</summary>
    public static TimeSpan Until(DateTime at, TimeProvider time) => Clamp(at - time.GetUtcNow().UtcDateTime);

    /// <summary>
    /// Whether <paramref name="at"/> has come, asked once the timer for it is set: a clock that moved between reading
    /// "now" for <see cref="Until"/> and setting the timer would otherwise leave the timer a whole delay too late.
    /// </summary>
    public static bool Passed(DateTime? at, TimeProvider time) => at is { } due && time.GetUtcNow().UtcDateTime >= due;
}
