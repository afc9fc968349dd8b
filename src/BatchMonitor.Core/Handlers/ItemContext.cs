using System.Text.Json.Nodes;
using BatchMonitor.Core.Domain;

namespace BatchMonitor.Core.Handlers;

/// <summary>Receives what a handler reports while it works on an item.</summary>
public interface IItemObserver
{
    void Progress(double progress, string? step);

    void Log(string level, string message);
}

/// <summary>What a handler knows about the item it processes, and how it reports back.</summary>
public sealed class ItemContext(
    Guid batchId,
    int index,
    string key,
    string? group,
    JsonNode? payload,
    int attempt,
    HandlerArgs args,
    TimeProvider time,
    IItemObserver? observer = null)
{
    public Guid BatchId { get; } = batchId;

    /// <summary>0-based position of the item in its batch.</summary>
    public int Index { get; } = index;

    public string Key { get; } = key;

    public string? Group { get; } = group;

    public JsonNode? Payload { get; } = payload;

    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; } = attempt;

    public HandlerArgs Args { get; } = args;

    /// <summary>The clock to wait on (<c>Task.Delay(d, context.Time, token)</c>), so tests can move it.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>Shows how far the item is (0..1) and, optionally, what it is doing now.</summary>
    public void Report(double progress, string? step = null) => observer?.Progress(progress, step);

    /// <summary>Writes a line to the batch's log, tagged with this item's key.</summary>
    public void Log(string message, string level = LogLevels.Info) => observer?.Log(level, message);
}
