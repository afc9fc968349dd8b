namespace BatchMonitor.Core.Services;

/// <summary>One numeric batch option's range, and the words that describe it to a user.</summary>
/// <param name="Field">The option's name in JSON.</param>
/// <param name="Meaning">What it does, for the OpenAPI document.</param>
/// <param name="Unit">What the number counts, after the range ("ms"), if anything.</param>
/// <param name="Span">The range in words ("up to an hour"), if the number alone is hard to read.</param>
/// <param name="LeftOut">What leaving the option out means.</param>
public sealed record OptionLimit(string Field, double Min, double Max, string Meaning, string? Unit = null, string? Span = null,
    string? LeftOut = null)
{
    public bool Allows(double value) => double.IsFinite(value) && value >= Min && value <= Max;

    /// <summary>The field error for a value outside the range.</summary>
    public string Message =>
        $"{Field} must be between {Min:#,0.###} and {Max:#,0.###}{(Unit is null ? "" : " " + Unit)}{(Span is null ? "" : $" ({Span})")}" +
        $"{(LeftOut is null ? "" : $", or left out for {LeftOut}")}.";
}

/// <summary>
/// The ranges of the numeric batch options: what the engine can honour (timers it can set, slots it does not hold
/// for days, counts it can keep). The validator refuses values outside them and the OpenAPI document shows them.
/// </summary>
public static class OptionLimits
{
    public static readonly OptionLimit Concurrency = new("concurrency", 1, 64, "Items running at once.");

    /// <summary>At least one start per 1,000 s: the engine's pace timer runs for at most that long.</summary>
    public static readonly OptionLimit RatePerSecond = new("ratePerSecond", 0.001, 10_000,
        "Item starts per second across the batch (0.5 is one start every two seconds).", "item starts per second",
        "one start every 1,000 seconds at the slowest", "no limit");

    public static readonly OptionLimit DelayBetweenItemsMs = new("delayBetweenItemsMs", 0, 3_600_000,
        "A pause after each item before the same slot starts the next one.", "ms", "up to an hour");

    public static readonly OptionLimit MaxAttempts = new("maxAttempts", 1, 100, "Attempts per item, the first one included.");

    public static readonly OptionLimit RetryBaseDelayMs = new("retryBaseDelayMs", 0, 86_400_000,
        "The delay before attempt n+1 is retryBaseDelayMs · 2^(n-1) with jitter, at most 7 days.", "ms", "up to a day");

    public static readonly OptionLimit ItemTimeoutMs = new("itemTimeoutMs", 1, 86_400_000,
        "An attempt running longer than this fails (and is retried while attempts are left).", "ms", "up to a day");

    public static readonly OptionLimit MaxRunMs = new("maxRunMs", 1_000, 30L * 86_400_000,
        "The batch stops as timed_out this long after it started.", "ms", "a second to 30 days", "no limit");

    public static readonly OptionLimit Priority = new("priority", -1000, 1000, "Queued batches start highest priority first.");

    public static readonly OptionLimit FailGroupAfter = new("failGroupAfter", 1, BatchRequestValidator.MaxItems,
        "After this many consecutive failed items in one group, the group's remaining items are skipped.", LeftOut: "no skipping");

    public static readonly IReadOnlyList<OptionLimit> All =
        [Concurrency, RatePerSecond, DelayBetweenItemsMs, MaxAttempts, RetryBaseDelayMs, ItemTimeoutMs, MaxRunMs, Priority, FailGroupAfter];
}
