namespace BatchMonitor.Core.Domain;

/// <summary>A line of a batch's log. <see cref="Seq"/> grows with every line written, across all batches.</summary>
public sealed class LogLine
{
    private LogLine()
    {
        Level = LogLevels.Info;
        Message = "";
    }

    public LogLine(Guid batchId, DateTime at, string level, string? itemKey, string message)
    {
        BatchId = batchId;
        At = at;
        Level = level;
        ItemKey = itemKey;
        Message = message;
    }

    public long Seq { get; private set; }
    public Guid BatchId { get; private set; }
    public DateTime At { get; private set; }
    public string Level { get; private set; }
    public string? ItemKey { get; private set; }
    public string Message { get; private set; }
}

public static class LogLevels
{
    public const string Debug = "debug";
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Error = "error";

    public static readonly IReadOnlyList<string> All = [Debug, Info, Warning, Error];
}
