using System.Text.Json;
using System.Text.Json.Serialization;

namespace BatchMonitor.Core.Events.AcrossNodes;

/// <summary>
/// What one node tells the others after it committed changes: ids and what moved, never the rows themselves (a
/// node re-reads what it shows). Kept small: PostgreSQL's <c>NOTIFY</c> carries at most 8,000 bytes, so a node's
/// changes go out in as many notices as they need (<see cref="Split"/>).
/// </summary>
/// <param name="Node">The node that made the changes (its own notices come back to it and are ignored).</param>
/// <param name="Batches">Changed batches.</param>
/// <param name="Schedules">Changed schedules (created, edited, deleted, fired).</param>
/// <param name="NodesChanged">The node's own row moved (a heartbeat, a start or a stop).</param>
public sealed record ChangeNotice(
    [property: JsonPropertyName("n")] string Node,
    [property: JsonPropertyName("b")] IReadOnlyList<BatchNotice> Batches,
    [property: JsonPropertyName("s")] IReadOnlyList<Guid> Schedules,
    [property: JsonPropertyName("h")] bool NodesChanged = false)
{
    /// <summary>Below PostgreSQL's 8,000-byte limit on a notification's payload.</summary>
    public const int MaxBytes = 7_000;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The notice in <paramref name="payload"/>, or null when it is not one (another program's notification).</summary>
    public static ChangeNotice? Parse(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<ChangeNotice>(payload, Json) is { Node: not null } notice
                ? notice with { Batches = notice.Batches ?? [], Schedules = notice.Schedules ?? [] }
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Payloads of at most <see cref="MaxBytes"/> that together say everything in the batches and schedules given.</summary>
    public static IEnumerable<string> Split(string node, IReadOnlyList<BatchNotice> batches, IReadOnlyList<Guid> schedules,
        bool nodesChanged = false)
    {
        if (nodesChanged) yield return new ChangeNotice(node, [], [], NodesChanged: true).ToJson();
        var batchPart = new List<BatchNotice>();
        var schedulePart = new List<Guid>();
        // A Guid is 39 bytes in JSON, a batch notice at most ~110 plus its item indexes (MaxItems of them, ≤ 11 bytes each).
        var size = 64;
        foreach (var batch in batches)
        {
            var cost = 120 + (batch.Items?.Count ?? 0) * 11;
            if (size + cost > MaxBytes && batchPart.Count > 0)
            {
                yield return new ChangeNotice(node, batchPart, []).ToJson();
                batchPart = [];
                size = 64;
            }
            batchPart.Add(batch);
            size += cost;
        }
        foreach (var schedule in schedules)
        {
            if (size + 40 > MaxBytes)
            {
                yield return new ChangeNotice(node, batchPart, schedulePart).ToJson();
                (batchPart, schedulePart, size) = ([], [], 64);
            }
            schedulePart.Add(schedule);
            size += 40;
        }
        if (batchPart.Count > 0 || schedulePart.Count > 0) yield return new ChangeNotice(node, batchPart, schedulePart).ToJson();
    }
}

/// <summary>
/// One batch's changes since the node's previous notice.
/// </summary>
/// <param name="Id">The batch.</param>
/// <param name="Status">Its status after the changes, when its row changed (counters, status, priority …); null when only items or logs moved.</param>
/// <param name="Items">Indexes of the items that changed, at most <see cref="MaxItems"/>; more become <see cref="ItemsReset"/>.</param>
/// <param name="ItemsReset">Many items changed: re-read the items shown.</param>
/// <param name="Deleted">The batch is gone.</param>
/// <param name="LogsFrom">The first new log line's sequence number; with <paramref name="LogsTo"/>, the new lines.</param>
/// <param name="LogsTo">The last new log line's sequence number.</param>
public sealed record BatchNotice(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("st")] string? Status = null,
    [property: JsonPropertyName("i")] IReadOnlyList<int>? Items = null,
    [property: JsonPropertyName("r")] bool ItemsReset = false,
    [property: JsonPropertyName("d")] bool Deleted = false,
    [property: JsonPropertyName("lf")] long LogsFrom = 0,
    [property: JsonPropertyName("lt")] long LogsTo = 0)
{
    /// <summary>More changed items than this in one notice are announced as a reset (re-read the items shown).</summary>
    public const int MaxItems = 200;
}
