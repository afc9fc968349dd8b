namespace BatchMonitor.Core.Domain;

/// <summary>
/// A list of items one handler processes. Status changes go through the methods below, each of which
/// refuses a move <see cref="Lifecycle"/> does not allow. The counters are kept by the store in the
/// same transaction as the item rows they count.
/// </summary>
public sealed class Batch
{
    private Batch()
    {
        Name = "";
        Handler = "";
        ArgsJson = "{}";
        Options = BatchOptions.Defaults;
    }

    public Batch(Guid id, string name, string handler, string argsJson, BatchOptions options, int total,
        DateTime createdAt, string? createdBy)
    {
        Id = id;
        Name = name;
        Handler = handler;
        ArgsJson = argsJson;
        Options = options;
        Priority = options.Priority;
        ExclusiveKey = options.ExclusiveKey;
        Status = BatchStatus.Queued;
        Total = total;
        Pending = total;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; }
    public string Handler { get; private set; }
    public BatchStatus Status { get; private set; }
    public int Priority { get; private set; }
    public string? ExclusiveKey { get; private set; }
    public Guid? ScheduleId { get; set; }
    public Guid? DatasetId { get; set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime? StartedAt { get; private set; }
    public DateTime? FinishedAt { get; private set; }

    /// <summary>When a running or paused batch times out: maxRunMs after its latest start.</summary>
    public DateTime? DeadlineAt { get; private set; }

    public int Total { get; private set; }
    public int Pending { get; private set; }
    public int Running { get; private set; }
    public int Succeeded { get; private set; }
    public int Failed { get; private set; }
    public int Skipped { get; private set; }
    public int Cancelled { get; private set; }

    public string? CurrentStep { get; private set; }
    public double ItemsPerSecond { get; private set; }
    public string? Error { get; private set; }
    public BatchOptions Options { get; private set; }
    public string ArgsJson { get; private set; }
    public string? CreatedBy { get; private set; }

    /// <summary>
    /// When its removal began (a delete, or retention pruning it): its rows are being deleted a chunk at a time, so it
    /// can no longer run again (<see cref="Requeue"/>) and its items are no longer whole. Null for every other batch.
    /// </summary>
    public DateTime? RemovalStartedAt { get; private set; }

    public int Finished => Succeeded + Failed + Skipped + Cancelled;

    public double Progress => Total == 0 ? 0 : (double)Finished / Total;

    /// <summary>
    /// queued → running: picked by the engine. A batch started again after "retry failed" keeps its first start (its
    /// elapsed time runs on); its maximum run time counts from this start.
    /// </summary>
    public void Start(DateTime now)
    {
        MoveTo(BatchStatus.Running, BatchStatus.Queued);
        StartedAt ??= now;
        FinishedAt = null;
        DeadlineAt = Options.MaxRunMs is { } ms ? now.AddMilliseconds(ms) : null;
    }

    /// <summary>running → paused.</summary>
    public void Pause() => MoveTo(BatchStatus.Paused);

    /// <summary>paused → running.</summary>
    public void Resume() => MoveTo(BatchStatus.Running, BatchStatus.Paused);

    /// <summary>running → completed: every item is final.</summary>
    public void Complete(DateTime now) => Finish(BatchStatus.Completed, now, null);

    /// <summary>queued | running → failed: the batch itself cannot go on.</summary>
    public void Fail(DateTime now, string error) => Finish(BatchStatus.Failed, now, error);

    /// <summary>queued | running | paused → cancelled.</summary>
    public void Cancel(DateTime now) => Finish(BatchStatus.Cancelled, now, null);

    /// <summary>running | paused → timed_out.</summary>
    public void TimeOut(DateTime now) =>
        Finish(BatchStatus.TimedOut, now, $"Stopped after its maximum run time of {FormatDuration(Options.MaxRunMs ?? 0)}.");

    /// <summary>finished → queued: its failed items are to be retried.</summary>
    public void Requeue()
    {
        if (RemovalStartedAt is not null) throw new IllegalTransitionException("A batch being deleted", Status.Name(), BatchStatus.Queued.Name());
        MoveTo(BatchStatus.Queued);
        FinishedAt = null;
        DeadlineAt = null;
        Error = null;
    }

    /// <summary>A finished batch begins its removal; nothing moves it out of its status after this.</summary>
    public void MarkForRemoval(DateTime now)
    {
        if (!Status.IsFinished()) throw new IllegalTransitionException("A batch", Status.Name(), "deleted");
        RemovalStartedAt ??= now;
    }

    public void SetPriority(int priority)
    {
        if (Status is not (BatchStatus.Queued or BatchStatus.Running or BatchStatus.Paused))
            throw new IllegalTransitionException("The priority of a batch", Status.Name(), $"priority {priority}");
        Priority = priority;
        Options = Options with { Priority = priority };
    }

    private void Finish(BatchStatus to, DateTime now, string? error)
    {
        MoveTo(to);
        FinishedAt = now;
        DeadlineAt = null;
        Error = error;
    }

    /// <param name="onlyFrom">When given, the only status this move starts from (start: queued; resume: paused).</param>
    private void MoveTo(BatchStatus to, BatchStatus? onlyFrom = null)
    {
        if (onlyFrom is { } from && Status != from)
            throw new IllegalTransitionException("A batch", Status.Name(), to.Name());
        Lifecycle.EnsureCanMove(Status, to);
        Status = to;
    }

    private static string FormatDuration(long ms)
    {
        var t = TimeSpan.FromMilliseconds(ms);
        return t.TotalHours >= 1 ? $"{t.TotalHours:0.##} h"
            : t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.##} min"
            : $"{t.TotalSeconds:0.##} s";
    }
}
