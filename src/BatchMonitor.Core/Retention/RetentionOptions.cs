namespace BatchMonitor.Core.Retention;

/// <summary>
/// <c>BatchMonitor:Retention</c> settings: how long finished batches and schedule history are kept, and how the pruner
/// works through them. The first two are defaults: an admin's values on the Retention page (stored in the database)
/// take their place, on every node and after a restart.
/// </summary>
public sealed class RetentionOptions
{
    public const int DefaultFinishedBatchDays = 30;
    public const int DefaultScheduleRunsKept = 1000;

    /// <summary>The most days a setting may say (a century): more is a typo, not a policy.</summary>
    public const int MaxFinishedBatchDays = 36_500;

    /// <summary>The most fires per schedule a setting may keep.</summary>
    public const int MaxScheduleRunsKept = 1_000_000;

    /// <summary>Finished batches older than this many days (from their finish) are pruned; 0 keeps them forever.</summary>
    public int FinishedBatchDays { get; set; } = DefaultFinishedBatchDays;

    /// <summary>The newest fires kept in each schedule's history; 0 keeps every fire.</summary>
    public int ScheduleRunsKept { get; set; } = DefaultScheduleRunsKept;

    /// <summary>How often the pruner runs (on one node at a time), in minutes.</summary>
    public double IntervalMinutes { get; set; } = 60;

    /// <summary>Most rows of each kind (items, attempts, log lines, schedule runs) one transaction deletes.</summary>
    public int ChunkSize { get; set; } = 1000;

    /// <summary>
    /// How long a pruner's claim on the turn lasts unless renewed (it renews it with every chunk): a node that died while
    /// pruning leaves the turn to the others after this, and a removal it left half done is finished by the next turn.
    /// </summary>
    public double LeaseSeconds { get; set; } = 300;

    /// <summary>The keys the configuration gave (the others are defaults), to say where a setting comes from.</summary>
    internal HashSet<string> FromConfiguration { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The options of <c>BatchMonitor:Retention</c>, checked, remembering which keys it gave.</summary>
    public static RetentionOptions From(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var section = configuration.GetSection("BatchMonitor:Retention");
        var options = new RetentionOptions();
        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(section, options);
        foreach (var key in new[] { nameof(FinishedBatchDays), nameof(ScheduleRunsKept) })
            if (section[key] is not null) options.FromConfiguration.Add(key);
        options.Validate();
        return options;
    }

    public TimeSpan Interval => TimeSpan.FromMinutes(IntervalMinutes);

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    /// <summary>Refuses settings the pruner cannot work with (at start, naming the key).</summary>
    public void Validate()
    {
        if (RetentionSettings.CheckDays(FinishedBatchDays) is { } days)
            throw new InvalidOperationException($"BatchMonitor:Retention:FinishedBatchDays: {days}");
        if (RetentionSettings.CheckRunsKept(ScheduleRunsKept) is { } runs)
            throw new InvalidOperationException($"BatchMonitor:Retention:ScheduleRunsKept: {runs}");
        if (!(IntervalMinutes >= 1 && IntervalMinutes <= 7 * 24 * 60))
            throw new InvalidOperationException("BatchMonitor:Retention:IntervalMinutes must be between 1 and 10080 (a week).");
        if (ChunkSize is < 10 or > 100_000)
            throw new InvalidOperationException("BatchMonitor:Retention:ChunkSize must be between 10 and 100000.");
        if (!(LeaseSeconds >= 10 && LeaseSeconds <= 86_400))
            throw new InvalidOperationException("BatchMonitor:Retention:LeaseSeconds must be between 10 and 86400.");
    }
}
