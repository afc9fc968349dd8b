using System.Text.Json.Nodes;
using BatchMonitor.Core.Domain;

namespace BatchMonitor.Core.Views;

/// <summary>A batch as the API, the events and the pages show it (API.md, "Batch").</summary>
public sealed record BatchView
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required string Handler { get; init; }
    public required BatchStatus Status { get; init; }
    public int Priority { get; init; }
    public string? ExclusiveKey { get; init; }
    public Guid? ScheduleId { get; init; }
    public Guid? DatasetId { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public DateTime? DeadlineAt { get; init; }
    public int Total { get; init; }
    public int Pending { get; init; }
    public int Running { get; init; }
    public int Succeeded { get; init; }
    public int Failed { get; init; }
    public int Skipped { get; init; }
    public int Cancelled { get; init; }

    /// <summary>Share of items in a final state, 0..1.</summary>
    public double Progress { get; init; }

    public string? CurrentStep { get; init; }
    public double ItemsPerSecond { get; init; }

    /// <summary>Seconds until every item is done at the current rate; null when not running or no rate yet.</summary>
    public double? EtaSeconds { get; init; }

    public string? Error { get; init; }
    public required BatchOptions Options { get; init; }
    public required JsonObject Args { get; init; }
    public string? CreatedBy { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public int Finished => Succeeded + Failed + Skipped + Cancelled;

    /// <summary>
    /// This view with the counters, step and rate the engine moves while the batch runs (the rest of the row is as it was),
    /// so the engine's writer need not load the whole batch for every transaction.
    /// </summary>
    internal BatchView WithCounters(int pending, int running, int succeeded, int failed, int skipped, int cancelled,
        string? currentStep, double itemsPerSecond)
    {
        var finished = succeeded + failed + skipped + cancelled;
        return this with
        {
            Pending = pending,
            Running = running,
            Succeeded = succeeded,
            Failed = failed,
            Skipped = skipped,
            Cancelled = cancelled,
            Progress = Total == 0 ? 0 : (double)finished / Total,
            CurrentStep = currentStep,
            ItemsPerSecond = Math.Round(itemsPerSecond, 2),
            EtaSeconds = Eta(Status, pending + running, itemsPerSecond),
        };
    }

    private static double? Eta(BatchStatus status, int remaining, double itemsPerSecond) =>
        status == BatchStatus.Running && itemsPerSecond > 0.001 && remaining > 0 ? Math.Ceiling(remaining / itemsPerSecond) : null;

    public static BatchView From(Batch b)
    {
        var remaining = b.Pending + b.Running;
        return new BatchView
        {
            Id = b.Id,
            Name = b.Name,
            Handler = b.Handler,
            Status = b.Status,
            Priority = b.Priority,
            ExclusiveKey = b.ExclusiveKey,
            ScheduleId = b.ScheduleId,
            DatasetId = b.DatasetId,
            CreatedAt = b.CreatedAt,
            StartedAt = b.StartedAt,
            FinishedAt = b.FinishedAt,
            DeadlineAt = b.DeadlineAt,
            Total = b.Total,
            Pending = b.Pending,
            Running = b.Running,
            Succeeded = b.Succeeded,
            Failed = b.Failed,
            Skipped = b.Skipped,
            Cancelled = b.Cancelled,
            Progress = b.Progress,
            CurrentStep = b.CurrentStep,
            ItemsPerSecond = Math.Round(b.ItemsPerSecond, 2),
            EtaSeconds = Eta(b.Status, remaining, b.ItemsPerSecond),
            Error = b.Error,
            Options = b.Options,
            Args = JsonNode.Parse(b.ArgsJson) as JsonObject ?? [],
            CreatedBy = b.CreatedBy,
        };
    }
}
