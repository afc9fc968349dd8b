using System.Text.Json.Serialization;

namespace BatchMonitor.Core.Domain;

/// <summary>
/// A recurring batch: on a Quartz cron expression (with seconds, in its time zone) or every N seconds, it
/// starts a batch from its template — unless the previous one is still queued, running or paused.
/// Its next and last fire live here, in the database, so a restart picks up where it left off.
/// </summary>
public sealed class Schedule
{
    private Schedule()
    {
        Name = "";
        TimeZone = "UTC";
        TemplateJson = "{}";
    }

    public Schedule(Guid id, string name, DateTime createdAt, string? createdBy)
    {
        Id = id;
        Name = name;
        TimeZone = "UTC";
        TemplateJson = "{}";
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
        CreatedBy = createdBy;
    }

    public Guid Id { get; private set; }
    public string Name { get; set; }
    public string? Cron { get; set; }
    public int? IntervalSeconds { get; set; }

    /// <summary>IANA time zone the cron expression is read in, e.g. Europe/Berlin.</summary>
    public string TimeZone { get; set; }

    public bool Enabled { get; set; }
    public MisfirePolicy MisfirePolicy { get; set; }

    /// <summary>The batch it starts: a POST /api/v1/batches body.</summary>
    public string TemplateJson { get; set; }

    public DateTime? NextRunAt { get; set; }
    public DateTime? LastRunAt { get; set; }
    public Guid? LastBatchId { get; set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; set; }
    public string? CreatedBy { get; private set; }
}

/// <summary>What a schedule does about the fires it missed while the server was down.</summary>
public enum MisfirePolicy
{
    /// <summary>Record them as skipped and wait for the next fire.</summary>
    [JsonStringEnumMemberName("skip")] Skip,

    /// <summary>Start one catch-up run now.</summary>
    [JsonStringEnumMemberName("runOnce")] RunOnce,
}

/// <summary>One fire of a schedule and what came of it.</summary>
public sealed class ScheduleRun
{
    private ScheduleRun()
    {
    }

    public ScheduleRun(Guid scheduleId, DateTime fireAt, DateTime at, RunOutcome outcome, string? reason, Guid? batchId, bool manual)
    {
        ScheduleId = scheduleId;
        FireAt = fireAt;
        At = at;
        Outcome = outcome;
        Reason = reason;
        BatchId = batchId;
        Manual = manual;
    }

    public long Id { get; private set; }
    public Guid ScheduleId { get; private set; }

    /// <summary>When it was due.</summary>
    public DateTime FireAt { get; private set; }

    /// <summary>When the scheduler acted on it.</summary>
    public DateTime At { get; private set; }

    public RunOutcome Outcome { get; private set; }
    public string? Reason { get; private set; }
    public Guid? BatchId { get; private set; }

    /// <summary>Started with "Run now" rather than by the clock.</summary>
    public bool Manual { get; private set; }

    /// <summary>
    /// One more clock fire skipped for the same reason right after this one: the row now stands for the whole
    /// stretch, due and handled at its latest fire, with the count in <paramref name="reason"/>.
    /// </summary>
    public void Repeat(DateTime fireAt, DateTime at, string reason)
    {
        if (Outcome != RunOutcome.Skipped || Manual)
            throw new InvalidOperationException($"Only a skipped clock fire can be repeated; this one is {Outcome}{(Manual ? " (run now)" : "")}.");
        FireAt = fireAt;
        At = at;
        Reason = reason;
    }
}

public enum RunOutcome
{
    /// <summary>A batch was created.</summary>
    Started,

    /// <summary>No batch: the previous run was still active, the fire was missed while down, or there was nothing to do.</summary>
    Skipped,

    /// <summary>No batch: the template could not be used (for example its dataset is gone).</summary>
    Failed,
}
