namespace BatchMonitor.Web.Auth.Users;

/// <summary>
/// Told after a user's role, state or password changed or the user was removed, so sessions (cookies and open pages)
/// re-check that user at once instead of at their next periodic check.
/// </summary>
public sealed class UserChanges
{
    public event Action<string>? Changed;

    public void Raise(string userId) => Changed?.Invoke(userId);
}
