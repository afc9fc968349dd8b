using System.Text.Json.Serialization;
using BatchMonitor.Core.Domain;

namespace BatchMonitor.Core.Views;

/// <summary>A log line as the API and the events show it.</summary>
public sealed record LogLineView(long Seq, DateTime At, string Level, string? ItemKey, string Message)
{
    [JsonIgnore] public Guid BatchId { get; init; }

    public static LogLineView From(LogLine l) => new(l.Seq, l.At, l.Level, l.ItemKey, l.Message) { BatchId = l.BatchId };
}
