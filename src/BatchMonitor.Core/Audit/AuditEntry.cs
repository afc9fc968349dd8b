namespace BatchMonitor.Core.Audit;

/// <summary>
/// Who did what to which thing, when, and from which address. Written by <see cref="AuditTrail"/> only, in the
/// transaction of the change it records where the change is a write to this store, so a refused or failed change
/// leaves no entry.
/// </summary>
public sealed class AuditEntry
{
    public const int MaxActorChars = 256;
    public const int MaxAddressChars = 64;
    public const int MaxActionChars = 64;
    public const int MaxSubjectChars = 200;
    public const int MaxDetailChars = 2000;

    private AuditEntry()
    {
        Action = "";
        Subject = "";
    }

    internal AuditEntry(DateTime at, string? actor, string? address, string action, string subject, string? detail)
    {
        At = at;
        Actor = Cut(actor, MaxActorChars);
        Address = Cut(address, MaxAddressChars);
        Action = action;
        Subject = Cut(subject, MaxSubjectChars)!;
        Detail = Cut(detail, MaxDetailChars);
    }

    public long Id { get; private set; }
    public DateTime At { get; private set; }

    /// <summary>The user's name (email) or API key's owner; null for the system.</summary>
    public string? Actor { get; private set; }

    /// <summary>The client's address as the server saw it (after trusted proxies); null when not over HTTP.</summary>
    public string? Address { get; private set; }

    /// <summary>One of <see cref="AuditActions"/>.</summary>
    public string Action { get; private set; }

    /// <summary>What it was done to, <c>kind:id</c> (<see cref="AuditSubjects"/>).</summary>
    public string Subject { get; private set; }
    public string? Detail { get; private set; }

    private static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : text[..(max - 1)] + "…";
}
