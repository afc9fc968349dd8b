namespace BatchMonitor.Core.Audit;

/// <summary>What an audit entry records: <c>kind.verb</c> in snake_case words.</summary>
public static class AuditActions
{
    public const string BatchCreated = "batch.created";
    public const string BatchPaused = "batch.paused";
    public const string BatchResumed = "batch.resumed";
    public const string BatchCancelled = "batch.cancelled";
    public const string BatchRetried = "batch.retried";
    public const string ItemRetried = "item.retried";
    public const string BatchReprioritised = "batch.reprioritised";
    public const string BatchCloned = "batch.cloned";
    public const string BatchDeleted = "batch.deleted";

    public const string ScheduleCreated = "schedule.created";
    public const string ScheduleUpdated = "schedule.updated";
    public const string ScheduleDeleted = "schedule.deleted";
    public const string ScheduleRun = "schedule.run";

    public const string DatasetCreated = "dataset.created";
    public const string DatasetUpdated = "dataset.updated";
    public const string DatasetDeleted = "dataset.deleted";

    public const string SignedIn = "user.signed_in";
    public const string SignInFailed = "user.sign_in_failed";
    public const string UserCreated = "user.created";
    public const string UserUpdated = "user.updated";
    public const string UserDeleted = "user.deleted";
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRevoked = "api_key.revoked";

    public const string RetentionChanged = "retention.changed";
    public const string RetentionRun = "retention.run";
}

/// <summary>How an entry names what it is about: <c>kind:id</c>, so <c>?subject=batch</c> finds every batch's entries.</summary>
public static class AuditSubjects
{
    public static string Batch(Guid id) => $"batch:{id}";

    public static string Schedule(Guid id) => $"schedule:{id}";

    public static string Dataset(Guid id) => $"dataset:{id}";

    public static string User(string email) => $"user:{email}";

    public static string ApiKey(Guid id) => $"api_key:{id}";

    /// <summary>Retention has one subject: its settings and its turns.</summary>
    public const string Retention = "retention";
}
