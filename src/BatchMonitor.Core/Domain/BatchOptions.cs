using System.Text.Json.Serialization;

namespace BatchMonitor.Core.Domain;

/// <summary>How the engine runs a batch's items. Immutable; <see cref="Defaults"/> are what a request leaves out.</summary>
public sealed record BatchOptions
{
    public static readonly BatchOptions Defaults = new();

    /// <summary>Items running at once.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Item starts per second across the batch; null for no limit.</summary>
    public double? RatePerSecond { get; init; }

    /// <summary>A pause after each item before the same slot starts the next one (a gap between external calls).</summary>
    public int DelayBetweenItemsMs { get; init; }

    /// <summary>Attempts per item, the first one included.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Delay before attempt n+1 is <c>retryBaseDelayMs · 2^(n-1)</c>, with jitter.</summary>
    public int RetryBaseDelayMs { get; init; } = 1000;

    /// <summary>An attempt running longer than this fails (and is retried if attempts are left); null for none.</summary>
    public int? ItemTimeoutMs { get; init; } = 30_000;

    /// <summary>The batch stops as timed_out this long after it started; null for no limit.</summary>
    public long? MaxRunMs { get; init; }

    public int Priority { get; init; }

    /// <summary>At most one running or paused batch per key.</summary>
    public string? ExclusiveKey { get; init; }

    public ConflictPolicy OnConflict { get; init; } = ConflictPolicy.Queue;

    /// <summary>After this many consecutive failed items in one group, the group's remaining items are skipped.</summary>
    public int? FailGroupAfter { get; init; }

    public PublishPolicy PublishResults { get; init; } = PublishPolicy.Each;
}

/// <summary>What happens to a new batch whose exclusive key is held by another running or paused batch.</summary>
public enum ConflictPolicy
{
    [JsonStringEnumMemberName("queue")] Queue,
    [JsonStringEnumMemberName("reject")] Reject,
}

/// <summary>When a batch over a dataset writes its items' outcomes to the dataset's rows.</summary>
public enum PublishPolicy
{
    [JsonStringEnumMemberName("each")] Each,
    [JsonStringEnumMemberName("onSuccess")] OnSuccess,
}
