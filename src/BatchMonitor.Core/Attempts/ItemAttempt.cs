namespace BatchMonitor.Core.Attempts;

/// <summary>
/// One attempt of one item, kept for good: which node ran it, when, how long, and how it ended. Written only by the
/// item ledger, in the transaction that moves the item out of running (finish, rescue), so an item never has a finished
/// attempt without its record or a record without the finish. The one attempt with no row here is the success that ends
/// an item: the item's own row holds it (node, times, duration; a succeeded item is never reset), and
/// <see cref="AttemptService"/> shows it as the item's last attempt. Most items succeed at once, so this halves what a
/// finish writes.
/// </summary>
public sealed class ItemAttempt
{
    /// <summary>The bounded detail (stack trace, handler trace) kept with a failed attempt.</summary>
    public const int MaxDetailChars = 4000;

    public const int MaxErrorChars = 4000;

    private ItemAttempt()
    {
        Outcome = AttemptOutcomes.Failed;
    }

    public long Id { get; private set; }
    public Guid BatchId { get; private set; }
    public int ItemIndex { get; private set; }

    /// <summary>The item's attempt number (1, 2, …; it keeps counting across "retry").</summary>
    public int Attempt { get; private set; }

    /// <summary>The node that ran it (its lease), if known.</summary>
    public string? Node { get; private set; }
    public DateTime? StartedAt { get; private set; }
    public DateTime FinishedAt { get; private set; }
    public long? DurationMs { get; private set; }

    /// <summary>One of <see cref="AttemptOutcomes"/>.</summary>
    public string Outcome { get; private set; }
    public string? Error { get; private set; }
    public string? Detail { get; private set; }
}

/// <summary>How an attempt ended.</summary>
public static class AttemptOutcomes
{
    public const string Succeeded = "succeeded";

    /// <summary>The handler failed; the item ran again later if it had attempts left.</summary>
    public const string Failed = "failed";

    /// <summary>Its batch stopped while it ran.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Its process or node went away while it ran (taken back after a crash or an expired lease).</summary>
    public const string Interrupted = "interrupted";
}
