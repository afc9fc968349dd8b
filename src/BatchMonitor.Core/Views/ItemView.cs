using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BatchMonitor.Core.Domain;

namespace BatchMonitor.Core.Views;

/// <summary>An item as the API, the events and the pages show it.</summary>
public sealed record ItemView
{
    private JsonNode? _result;
    private bool _resultParsed;

    [JsonIgnore] public Guid BatchId { get; init; }
    public int Index { get; init; }
    public required string Key { get; init; }
    public string? Group { get; init; }
    public ItemStatus Status { get; init; }
    public int Attempts { get; init; }
    public double Progress { get; init; }
    public string? Step { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public long? DurationMs { get; init; }
    public DateTime? NextAttemptAt { get; init; }
    public string? Error { get; init; }

    [JsonIgnore] public string? ResultJson { get; init; }

    [JsonIgnore] public string? PayloadJson { get; init; }

    /// <summary>What the handler returned (parsed from <see cref="ResultJson"/> when first read).</summary>
    public JsonNode? Result
    {
        get
        {
            if (!_resultParsed)
            {
                _result = ResultJson is null ? null : JsonNode.Parse(ResultJson);
                _resultParsed = true;
            }
            return _result;
        }
    }

    public static ItemView From(BatchItem i) => new()
    {
        BatchId = i.BatchId,
        Index = i.Index,
        Key = i.Key,
        Group = i.Group,
        Status = i.Status,
        Attempts = i.Attempts,
        Progress = i.Progress,
        Step = i.Step,
        StartedAt = i.StartedAt,
        FinishedAt = i.FinishedAt,
        DurationMs = i.DurationMs,
        NextAttemptAt = i.NextAttemptAt,
        Error = i.Error,
        ResultJson = i.ResultJson,
        PayloadJson = i.PayloadJson,
    };
}
