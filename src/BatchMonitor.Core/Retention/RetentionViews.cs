namespace BatchMonitor.Core.Retention;

/// <summary>Where a setting's value comes from.</summary>
public static class SettingSources
{
    /// <summary>Stored by an admin (the Retention page or the API): it wins over the configuration, on every node.</summary>
    public const string Database = "database";

    /// <summary>From <c>BatchMonitor:Retention</c> in the configuration.</summary>
    public const string Configuration = "configuration";

    /// <summary>Neither: the built-in default.</summary>
    public const string Default = "default";
}

/// <summary>A setting in force and where it comes from (<see cref="SettingSources"/>).</summary>
public sealed record RetentionSetting(int Value, string Source);

/// <summary>Everything retention removed so far (kept in the database: a restart keeps counting), and when it last ran.</summary>
public sealed record RetentionTotals(long Batches, long Items, long LogLines, long Attempts, long ScheduleRuns, DateTime? LastRunAt)
{
    public static RetentionTotals From(RetentionState s) =>
        new(s.PrunedBatches, s.PrunedItems, s.PrunedLogLines, s.PrunedAttempts, s.PrunedScheduleRuns, s.LastRunAt);
}

/// <summary><c>GET /api/v1/retention</c>: the settings in force, who last changed them, the totals, and the last and next turn.</summary>
public sealed record RetentionView(
    RetentionSetting FinishedBatchDays,
    RetentionSetting ScheduleRunsKept,
    string? ChangedBy,
    DateTime? ChangedAt,
    RetentionTotals Totals,
    DateTime? LastRunAt,
    string? LastRunNode,
    DateTime? NextRunAt,
    string? RunningOn,
    double IntervalMinutes,
    int ChunkSize);

/// <summary>What one turn of the pruner removed (<c>POST /api/v1/retention/run</c> answers with it).</summary>
/// <param name="BusyOn">The node that held the turn, when this one did not run.</param>
public sealed record PruneReport(DateTime At, string? BusyOn, long Batches, long Items, long LogLines, long Attempts, long ScheduleRuns)
{
    public bool Ran => BusyOn is null;

    public static PruneReport Busy(DateTime at, string node) => new(at, node, 0, 0, 0, 0, 0);
}
