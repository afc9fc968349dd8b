namespace BatchMonitor.Core.Domain;

/// <summary>
/// One row of a dataset and the outcome of the last batch item that processed it. Only final outcomes
/// (succeeded, failed) are written here: an item cancelled or skipped leaves the row as it was, so the row is
/// still pending for the next run.
/// </summary>
public sealed class DatasetRow
{
    private DatasetRow()
    {
        Key = "";
    }

    public DatasetRow(Guid datasetId, int position, string key, string? group, string? payloadJson)
    {
        DatasetId = datasetId;
        Position = position;
        Key = key;
        Group = group;
        PayloadJson = payloadJson;
    }

    public long Id { get; private set; }
    public Guid DatasetId { get; private set; }

    /// <summary>0-based place in the dataset: page p at size s shows positions (p-1)·s … p·s-1.</summary>
    public int Position { get; private set; }

    public string Key { get; private set; }
    public string? Group { get; private set; }
    public string? PayloadJson { get; private set; }
    public ItemStatus? LastStatus { get; private set; }
    public string? LastResultJson { get; private set; }
    public string? LastError { get; private set; }
    public Guid? LastBatchId { get; private set; }
    public DateTime? LastProcessedAt { get; private set; }

    /// <summary>Never processed, or failed the last time.</summary>
    public bool IsPending => LastStatus is null or ItemStatus.Failed;
}
