using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;

namespace BatchMonitor.Web.Components.Batches;

/// <summary>A batch's options as typed in a form (<see cref="OptionFields"/>); empty means the default.</summary>
public sealed class OptionValues
{
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

    /// <summary>Options the form does not show (publishResults), kept as they were when editing.</summary>
    public PublishPolicy? PublishResults { get; set; }

    /// <summary>Any option that is not shown until "More options" is opened has a value.</summary>
    public bool HasAdvanced => RatePerSecond is not null || DelayBetweenItemsMs is not null || RetryBaseDelayMs is not null
                               || ItemTimeoutMs is not null || MaxRunMs is not null || FailGroupAfter is not null
                               || !string.IsNullOrWhiteSpace(ExclusiveKey) || OnConflict != ConflictPolicy.Queue;

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
        PublishResults = o.PublishResults,
    };

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
        PublishResults = PublishResults,
    };
}
