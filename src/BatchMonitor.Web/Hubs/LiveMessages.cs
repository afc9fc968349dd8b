using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Views;

namespace BatchMonitor.Web.Hubs;

/// <summary><c>itemChanged</c>: the newest state of one item.</summary>
public sealed record ItemChangedMessage(Guid BatchId, ItemView Item);

/// <summary><c>logAppended</c>: one new log line.</summary>
public sealed record LogAppendedMessage(Guid BatchId, LogLineView Line);

/// <summary><c>batchDeleted</c> and <c>itemsReset</c> (many items changed at once: re-read the items shown).</summary>
public sealed record BatchNoticeMessage(Guid BatchId);

/// <summary>One event as the hub and the event stream send it: a name and its payload.</summary>
public readonly record struct LiveMessage(string Name, object Payload);

/// <summary>
/// Turns one coalesced <see cref="BatchChange"/> into the messages network clients get, the same for the hub and the
/// event stream: <c>itemChanged</c> per item, then <c>logAppended</c> per line, then <c>batchChanged</c>: the batch's
/// counters come last, so when they say "completed" every row already shows its final state.
/// <para>
/// Caps: the engine delivers a batch's changes at most ten times a second, and one delivery carries at most
/// <see cref="MaxItemsPerDelivery"/> item events and <see cref="MaxLogsPerDelivery"/> log lines. When more items
/// changed, the most recent ones (highest index) are sent with an <c>itemsReset</c>, so a client re-reads the rows it
/// shows; when more lines were logged, the newest are sent (the rest are in <c>/logs</c>). So 5,000 item changes a
/// second become at most ~1,000 small messages a second per batch, not 5,000.
/// </para>
/// </summary>
public static class LiveMessages
{
    public const string BatchChanged = "batchChanged";
    public const string ItemChanged = "itemChanged";
    public const string LogAppended = "logAppended";
    public const string BatchDeleted = "batchDeleted";
    public const string ItemsReset = "itemsReset";

    public const int MaxItemsPerDelivery = 100;
    public const int MaxLogsPerDelivery = 100;

    public static IEnumerable<LiveMessage> From(BatchChange change)
    {
        if (change.Deleted)
        {
            yield return new(BatchDeleted, new BatchNoticeMessage(change.BatchId));
            yield break;
        }
        var items = change.Items;
        if (change.ItemsReset || items.Count > MaxItemsPerDelivery)
            yield return new(ItemsReset, new BatchNoticeMessage(change.BatchId));
        for (var i = Math.Max(0, items.Count - MaxItemsPerDelivery); i < items.Count; i++)
            yield return new(ItemChanged, new ItemChangedMessage(change.BatchId, items[i]));
        var logs = change.Logs;
        for (var i = Math.Max(0, logs.Count - MaxLogsPerDelivery); i < logs.Count; i++)
            yield return new(LogAppended, new LogAppendedMessage(change.BatchId, logs[i]));
        if (change.Batch is { } batch) yield return new(BatchChanged, batch);
    }

    /// <summary>Whether this is the last change a finished or deleted batch will have (until someone acts on it).</summary>
    public static bool IsFinal(BatchChange change) => change.Deleted || change.Batch?.Status.IsFinished() == true;
}
