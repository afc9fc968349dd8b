namespace BatchMonitor.Core.Domain;

/// <summary>
/// One unit of work in a batch. The engine holds a running item in memory while its handler works and
/// records the outcome with a conditional update (<c>WHERE status = 'running'</c>).
/// </summary>
public sealed class BatchItem
{
    private BatchItem()
    {
        Key = "";
    }

    public BatchItem(Guid batchId, int index, string key, string? group, string? payloadJson)
    {
        BatchId = batchId;
        Index = index;
        Key = key;
        Group = group;
        PayloadJson = payloadJson;
        Status = ItemStatus.Pending;
    }

    /// <summary>Rebuilds an item the store has just claimed (moved to running).</summary>
    public static BatchItem Claimed(long id, Guid batchId, int index, string key, string? group, string? payloadJson,
        int attempts, DateTime startedAt, int attemptsBeforeRetry = 0) =>
        new(batchId, index, key, group, payloadJson)
        {
            Id = id,
            Status = ItemStatus.Running,
            Attempts = attempts,
            AttemptsBeforeRetry = attemptsBeforeRetry,
            StartedAt = startedAt,
        };

    public long Id { get; private set; }
    public Guid BatchId { get; private set; }
    public int Index { get; private set; }
    public string Key { get; private set; }
    public string? Group { get; private set; }
    public string? PayloadJson { get; private set; }
    public ItemStatus Status { get; private set; }
    /// <summary>Every attempt made, across "retry failed" too: the history is never rewritten.</summary>
    public int Attempts { get; private set; }

    /// <summary>
    /// The attempts made before the last "retry failed". The item's allowance of maxAttempts counts from here: a
    /// retried item gets its full allowance again, while <see cref="Attempts"/> keeps counting on (4, 5, 6 after 3).
    /// </summary>
    public int AttemptsBeforeRetry { get; private set; }

    /// <summary>The attempts made since the last "retry failed" (all of them if there was none), the current one included.</summary>
    public int AttemptsSinceRetry => Attempts - AttemptsBeforeRetry;
    public double Progress { get; private set; }
    public string? Step { get; private set; }
    public DateTime? NextAttemptAt { get; private set; }
    public DateTime? StartedAt { get; private set; }
    public DateTime? FinishedAt { get; private set; }
    public long? DurationMs { get; private set; }
    public string? ResultJson { get; private set; }
    public string? Error { get; private set; }

    /// <summary>
    /// The node that claimed the item while it runs (its lease); after a success, the node that ran that last attempt; null
    /// otherwise. Written by the ledger only.
    /// </summary>
    public string? LeaseNode { get; private set; }

    /// <summary>When the lease runs out unless its node renews it; then another node may take the item back.</summary>
    public DateTime? LeaseExpiresAt { get; private set; }

    /// <summary>
    /// Not stored with the item: when its last attempt ended and what the handler's failure said beyond its message (a
    /// stack trace, cut to <see cref="global::BatchMonitor.Core.Attempts.ItemAttempt.MaxDetailChars"/>). The ledger writes both into the attempt's row.
    /// </summary>
    public DateTime? AttemptEndedAt { get; private set; }

    /// <inheritdoc cref="AttemptEndedAt"/>
    public string? AttemptDetail { get; private set; }

    /// <summary>Keeps what the attempt's failure said beyond its message, for its row in the attempts.</summary>
    public void Explain(string? detail) =>
        AttemptDetail = detail is { Length: > global::BatchMonitor.Core.Attempts.ItemAttempt.MaxDetailChars } ? detail[..(global::BatchMonitor.Core.Attempts.ItemAttempt.MaxDetailChars - 1)] + "…" : detail;

    public void ReportProgress(double progress, string? step)
    {
        if (Status != ItemStatus.Running) return;
        Progress = Math.Clamp(double.IsFinite(progress) ? progress : 0, 0, 1);
        if (step is not null) Step = step;
    }

    /// <summary>running → succeeded.</summary>
    public void Succeed(DateTime now, string? resultJson)
    {
        MoveTo(ItemStatus.Succeeded);
        Progress = 1;
        ResultJson = resultJson;
        Error = null;
        Stop(now);
    }

    /// <summary>running → pending: the attempt failed and another one is due at <paramref name="nextAttemptAt"/>.</summary>
    public void RetryLater(DateTime now, string error, DateTime nextAttemptAt)
    {
        MoveTo(ItemStatus.Pending);
        Error = error;
        NextAttemptAt = nextAttemptAt;
        Stop(now);
        FinishedAt = null;
    }

    /// <summary>running → failed: out of attempts, or a final failure.</summary>
    public void Fail(DateTime now, string error)
    {
        MoveTo(ItemStatus.Failed);
        Error = error;
        Stop(now);
    }

    /// <summary>running → cancelled: its batch stopped while it ran.</summary>
    public void Cancel(DateTime now, string reason)
    {
        MoveTo(ItemStatus.Cancelled);
        Error = reason;
        Stop(now);
    }

    /// <summary>
    /// running → pending without counting the attempt: the process is stopping and the item will run
    /// again after the restart.
    /// </summary>
    public void Release()
    {
        MoveTo(ItemStatus.Pending);
        Attempts = Math.Max(0, Attempts - 1);
        Progress = 0;
        Step = null;
        StartedAt = null;
    }

    private void Stop(DateTime now)
    {
        FinishedAt = now;
        AttemptEndedAt = now;
        DurationMs = StartedAt is { } s ? (long)Math.Max(0, (now - s).TotalMilliseconds) : null;
    }

    private void MoveTo(ItemStatus to)
    {
        Lifecycle.EnsureCanMove(Status, to);
        Status = to;
    }
}
