namespace BatchMonitor.Web.Components.Schedules.Editor;

/// <summary>
/// The editor's messages in the words of its labels. The services name the API's fields ("maxAttempts must be
/// between 1 and 100."), right for an API client; under a field labelled "Attempts" the form says "Attempts must be…".
/// </summary>
public static class FieldWords
{
    /// <summary>The label of each field, by its key in a schedule's errors (the batch's fields under <c>batch.</c>).</summary>
    private static readonly Dictionary<string, (string Api, string Label)> Labels = new(StringComparer.Ordinal)
    {
        ["intervalSeconds"] = ("intervalSeconds", "The interval"),
        ["batch.options.concurrency"] = ("concurrency", "Concurrency"),
        ["batch.options.maxAttempts"] = ("maxAttempts", "Attempts"),
        ["batch.options.priority"] = ("priority", "Priority"),
        ["batch.options.ratePerSecond"] = ("ratePerSecond", "Rate limit (items/s)"),
        ["batch.options.delayBetweenItemsMs"] = ("delayBetweenItemsMs", "Delay between items (ms)"),
        ["batch.options.retryBaseDelayMs"] = ("retryBaseDelayMs", "First retry after (ms)"),
        ["batch.options.itemTimeoutMs"] = ("itemTimeoutMs", "Item timeout (ms)"),
        ["batch.options.maxRunMs"] = ("maxRunMs", "Maximum run time (ms)"),
        ["batch.options.failGroupAfter"] = ("failGroupAfter", "Skip a group after"),
        ["batch.options.exclusiveKey"] = ("exclusiveKey", "The exclusive key"),
        ["batch.options.onConflict"] = ("onConflict", "When the key is taken"),
        ["batch.options.publishResults"] = ("publishResults", "Write rows' outcomes"),
        ["batch.source.pageSize"] = ("pageSize", "The page size"),
    };

    /// <summary>Whole messages said otherwise on this form (it offers a list, not an id to type).</summary>
    private static readonly Dictionary<(string Field, string Message), string> Rewords = new()
    {
        [("batch.source.datasetId", "Give the id of a dataset.")] = DatasetMissing,
        [("batch.source.datasetId", "No dataset has this id.")] = DatasetGone,
    };

    public const string DatasetMissing = "Choose a dataset.";

    public const string DatasetGone = "This dataset no longer exists; choose another.";

    /// <summary>The message as the form shows it beside <paramref name="field"/>.</summary>
    public static string For(string field, string message)
    {
        if (Rewords.TryGetValue((field, message), out var reworded)) return reworded;
        if (!Labels.TryGetValue(field, out var names)) return message;
        if (message.StartsWith(names.Api + " ", StringComparison.Ordinal)) message = names.Label + message[names.Api.Length..];
        return message.Replace(", or left out for ", ", or empty for ", StringComparison.Ordinal);
    }
}
