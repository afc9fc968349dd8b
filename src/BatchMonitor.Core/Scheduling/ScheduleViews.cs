using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Views;

namespace BatchMonitor.Core.Scheduling;

/// <summary>What a user gives to create or change a schedule (API.md: POST /api/v1/schedules).</summary>
public sealed record ScheduleInput
{
    public string? Name { get; init; }
    public string? Cron { get; init; }
    public int? IntervalSeconds { get; init; }
    public string? TimeZone { get; init; }
    public bool? Enabled { get; init; }
    public MisfirePolicy? MisfirePolicy { get; init; }

    /// <summary>The batch each fire starts: a POST /api/v1/batches body (items, or a dataset source).</summary>
    public CreateBatchRequest? Batch { get; init; }
}

/// <summary>A schedule as the API and the pages show it.</summary>
public sealed record ScheduleView
{
    public Guid Id { get; init; }
    public required string Name { get; init; }
    public string? Cron { get; init; }
    public int? IntervalSeconds { get; init; }
    public required string TimeZone { get; init; }
    public bool Enabled { get; init; }
    public MisfirePolicy MisfirePolicy { get; init; }
    public required CreateBatchRequest Batch { get; init; }
    public DateTime? NextRunAt { get; init; }
    public DateTime? LastRunAt { get; init; }
    public Guid? LastBatchId { get; init; }

    /// <summary>The status of the batch the schedule started last.</summary>
    public BatchStatus? LastBatchStatus { get; init; }

    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public string? CreatedBy { get; init; }
}

/// <summary>One fire in a schedule's history, with the live state of the batch it started.</summary>
public sealed record ScheduleRunView(long Id, DateTime FireAt, DateTime At, RunOutcome Outcome, string? Reason, Guid? BatchId, bool Manual)
{
    public BatchView? Batch { get; init; }
}

/// <summary>A page of a schedule's history, newest first, and how its runs went overall.</summary>
public sealed record ScheduleHistory(
    IReadOnlyList<ScheduleRunView> Items,
    int Total,
    int Limit,
    int Offset,
    int Started,
    int Skipped,
    int Failed,
    double? SuccessRate,
    double? MeanDurationSeconds);

/// <summary>What a schedule call did: the schedule, or why nothing changed.</summary>
public sealed record ScheduleResult(ScheduleView? Schedule, Validation.ValidationErrors? Errors, Engine.ChangeOutcome Outcome, string? Message)
{
    public bool IsOk => Outcome == Engine.ChangeOutcome.Ok && Errors is null;

    public static readonly ScheduleResult NotFound = new(null, null, Engine.ChangeOutcome.NotFound, "No schedule has this id.");

    public static ScheduleResult Ok(ScheduleView? schedule) => new(schedule, null, Engine.ChangeOutcome.Ok, null);

    public static ScheduleResult Invalid(Validation.ValidationErrors errors) => new(null, errors, Engine.ChangeOutcome.Ok, null);

    public static readonly ScheduleResult Forbidden = new(null, null, Engine.ChangeOutcome.Forbidden, Access.Actor.Refusal);
}

/// <summary>What "Run now" did.</summary>
public sealed record RunNowResult(Engine.ChangeOutcome Outcome, ScheduleRunView? Run, string? Message)
{
    public static readonly RunNowResult Forbidden = new(Engine.ChangeOutcome.Forbidden, null, Access.Actor.Refusal);
}
