namespace BatchMonitor.Core.Audit;

/// <summary>An audit entry as the API and the pages show it: <c>{at, actor, address, action, subject, detail}</c>.</summary>
public sealed record AuditView(DateTime At, string? Actor, string? Address, string Action, string Subject, string? Detail)
{
    public static AuditView From(AuditEntry e) => new(e.At, e.Actor, e.Address, e.Action, e.Subject, e.Detail);
}

/// <summary>Which entries to list, newest first. <see cref="Subject"/> matches a subject or a kind (<c>batch</c>).</summary>
public sealed record AuditQuery(string? Subject = null, string? Actor = null, string? Action = null, int Limit = AuditQuery.DefaultLimit,
    int Offset = 0)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
}
