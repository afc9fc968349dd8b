namespace BatchMonitor.Web.Auth;

/// <summary>The two roles: <c>admin</c> does everything, <c>viewer</c> only looks.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Viewer = "viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Viewer];

    public static bool IsKnown(string? role) => role is Admin or Viewer;
}

/// <summary>Authorization policy names.</summary>
public static class Policies
{
    /// <summary>Everything that changes something: creating, steering and deleting batches, users and keys.</summary>
    public const string Admin = "admin";
}
