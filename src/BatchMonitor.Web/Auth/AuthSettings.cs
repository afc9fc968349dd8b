namespace BatchMonitor.Web.Auth;

/// <summary><c>BatchMonitor:Auth</c>: limits on sign-in and API key failures.</summary>
public sealed class AuthSettings
{
    public const string Section = "BatchMonitor:Auth";

    /// <summary>Sign-in (and setup) form posts per minute from one address.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>Requests with a wrong API key per minute from one address before its wrong keys get 429 for the rest of the minute (a right key is never refused).</summary>
    public int ApiKeyFailuresPerMinute { get; set; } = 20;

    /// <summary>Wrong passwords in a row before an account is locked for <see cref="LockoutMinutes"/>.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    public int LockoutMinutes { get; set; } = 5;

    /// <summary>How long a sign-in lasts without activity (sliding).</summary>
    public int SessionHours { get; set; } = 12;

    /// <summary>How often a signed-in session re-checks its user (disabled, role changed, password reset); 0 checks on every request.</summary>
    public int RevalidateSeconds { get; set; } = 60;
}

/// <summary><c>BatchMonitor:Bootstrap</c>: the first admin (and an API key for it) for unattended starts.</summary>
public sealed class BootstrapSettings
{
    public const string Section = "BatchMonitor:Bootstrap";

    public string? AdminEmail { get; set; }

    public string? AdminPassword { get; set; }

    public string? ApiKey { get; set; }
}
