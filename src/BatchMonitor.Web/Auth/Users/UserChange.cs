namespace BatchMonitor.Web.Auth.Users;

public enum UserChangeKind
{
    Done,
    NotFound,
    /// <summary>The request itself is wrong (an unknown role).</summary>
    Invalid,
    /// <summary>The request is fine but the users as they are do not allow it (the last admin, oneself).</summary>
    Refused,
}

/// <summary>What became of a change to a user, and why not when it was not done.</summary>
public sealed record UserChange(UserChangeKind Kind, string? Message = null)
{
    public static readonly UserChange Done = new(UserChangeKind.Done);
    public static readonly UserChange NotFound = new(UserChangeKind.NotFound, "There is no such user.");

    public static UserChange Invalid(string message) => new(UserChangeKind.Invalid, message);

    public static UserChange Refused(string message) => new(UserChangeKind.Refused, message);

    public bool Succeeded => Kind == UserChangeKind.Done;
}
