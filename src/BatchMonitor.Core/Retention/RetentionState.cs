namespace BatchMonitor.Core.Retention;

/// <summary>
/// The one row (<see cref="TheId"/>) where retention keeps what must outlive a process and be the same on every node:
/// the settings an admin stored (null: the configuration's), the totals of everything pruned so far, when the last
/// turn ran and the next is due, and which node holds the turn now (a lease, so two pruners never run at once).
/// </summary>
public sealed class RetentionState
{
    public const int TheId = 1;

    private RetentionState()
    {
    }

    internal RetentionState(int id) => Id = id;

    public int Id { get; private set; }

    /// <summary>Set on the Retention page or by <c>PUT /api/v1/retention</c>; null means the configuration's value.</summary>
    public int? FinishedBatchDays { get; set; }

    public int? ScheduleRunsKept { get; set; }

    public string? ChangedBy { get; set; }
    public DateTime? ChangedAt { get; set; }

    public long PrunedBatches { get; set; }
    public long PrunedItems { get; set; }
    public long PrunedLogLines { get; set; }
    public long PrunedAttempts { get; set; }
    public long PrunedScheduleRuns { get; set; }

    public DateTime? LastRunAt { get; set; }
    public string? LastRunNode { get; set; }
    public DateTime? NextRunAt { get; set; }

    /// <summary>The node pruning now, until <see cref="LeaseUntil"/> (renewed with every chunk).</summary>
    public string? LeaseNode { get; set; }

    public DateTime? LeaseUntil { get; set; }
}
