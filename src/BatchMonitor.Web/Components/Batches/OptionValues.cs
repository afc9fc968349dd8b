using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;

namespace BatchMonitor.Web.Components.Batches;

/// <summary>The options as typed; empty means the default.</summary>
public sealed class OptionValues
{
    private static readonly BatchOptions Defaults = BatchOptions.Defaults;

    public int? Concurrency { get; set; }
    public int? MaxAttempts { get; set; }
    public int? Priority { get; set; }
    public double? RatePerSecond { get; set; }
    public int? DelayBetweenItemsMs { get; set; }
    public int? RetryBaseDelayMs { get; set; }
    public int? ItemTimeoutMs { get; set; }
    public long? MaxRunMs { get; set; }
    public int? FailGroupAfter { get; set; }
    public string? ExclusiveKey { get; set; }
    public ConflictPolicy OnConflict { get; set; } = ConflictPolicy.Queue;
    public PublishPolicy PublishResults { get; set; } = PublishPolicy.Each;

    /// <summary>Any option shown only under "More options" has a value.</summary>
    public bool HasAdvanced => RatePerSecond is not null || DelayBetweenItemsMs is not null || RetryBaseDelayMs is not null
                               || ItemTimeoutMs is not null || MaxRunMs is not null || FailGroupAfter is not null
                               || !string.IsNullOrWhiteSpace(ExclusiveKey) || OnConflict != ConflictPolicy.Queue;

    public OptionsInput ToInput() => new()
    {
        Concurrency = Concurrency,
        MaxAttempts = MaxAttempts,
        Priority = Priority,
        RatePerSecond = RatePerSecond,
        DelayBetweenItemsMs = DelayBetweenItemsMs,
        RetryBaseDelayMs = RetryBaseDelayMs,
        ItemTimeoutMs = ItemTimeoutMs,
        MaxRunMs = MaxRunMs,
        FailGroupAfter = FailGroupAfter,
        ExclusiveKey = string.IsNullOrWhiteSpace(ExclusiveKey) ? null : ExclusiveKey.Trim(),
        OnConflict = OnConflict,
        PublishResults = PublishResults == Defaults.PublishResults ? null : PublishResults,
    };

    /// <summary>Options as a request gave them (a schedule's template): what was given, the rest left empty.</summary>
    public static OptionValues From(OptionsInput? o) => o is null ? new() : new()
    {
        Concurrency = o.Concurrency,
        MaxAttempts = o.MaxAttempts,
        Priority = o.Priority,
        RatePerSecond = o.RatePerSecond,
        DelayBetweenItemsMs = o.DelayBetweenItemsMs,
        RetryBaseDelayMs = o.RetryBaseDelayMs,
        ItemTimeoutMs = o.ItemTimeoutMs,
        MaxRunMs = o.MaxRunMs,
        FailGroupAfter = o.FailGroupAfter,
        ExclusiveKey = o.ExclusiveKey,
        OnConflict = o.OnConflict ?? ConflictPolicy.Queue,
        PublishResults = o.PublishResults ?? Defaults.PublishResults,
    };

    /// <summary>A batch's options as a form shows them: what differs from the defaults, the rest left empty.</summary>
    public static OptionValues From(BatchOptions o)
    {
        T? Set<T>(T value, T fallback) where T : struct => EqualityComparer<T>.Default.Equals(value, fallback) ? null : value;
        return new OptionValues
        {
            Concurrency = Set(o.Concurrency, Defaults.Concurrency),
            MaxAttempts = Set(o.MaxAttempts, Defaults.MaxAttempts),
            Priority = Set(o.Priority, Defaults.Priority),
            RatePerSecond = o.RatePerSecond,
            DelayBetweenItemsMs = Set(o.DelayBetweenItemsMs, Defaults.DelayBetweenItemsMs),
            RetryBaseDelayMs = Set(o.RetryBaseDelayMs, Defaults.RetryBaseDelayMs),
            ItemTimeoutMs = o.ItemTimeoutMs == Defaults.ItemTimeoutMs ? null : o.ItemTimeoutMs,
            MaxRunMs = o.MaxRunMs,
            FailGroupAfter = o.FailGroupAfter,
            ExclusiveKey = o.ExclusiveKey,
            OnConflict = o.OnConflict,
            PublishResults = o.PublishResults,
        };
    }
}
