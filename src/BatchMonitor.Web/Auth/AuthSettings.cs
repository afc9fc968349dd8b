namespace BatchMonitor.Web.Auth;

/// <summary><c>BatchMonitor:Auth</c>: limits on sign-in and API key failures.</summary>
public sealed class AuthSettings
{
    public const string Section = "BatchMonitor:Auth";

    /// <summary>Sign-in (and setup) form posts per minute from one address.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>Requests with a wrong API key per minute from one address before its wrong keys get 429 for the rest of the minute (a right key is never refused).</summary>
    public int ApiKeyFailuresPerMinute { get; set; } = 20;

    /// <summary>Wrong passwords in a row for one email from one address before that address must wait (see <c>SignInThrottle</c>).</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>The first wait after <see cref="MaxFailedSignIns"/>; each further failure doubles it.</summary>
    public int SignInBackoffSeconds { get; set; } = 30;

    /// <summary>The longest wait for one email from one address. Accounts themselves are never locked.</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>How long a sign-in lasts without activity (sliding).</summary>
    public int SessionHours { get; set; } = 12;

    /// <summary>
    /// Sessions check their user (disabled, role changed, password reset) on every request; what they read is kept this
    /// long, and open pages re-check this often. Changes made in BatchMonitor take effect at once whatever this is.
    /// </summary>
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
