using BatchMonitor.Web.Auth.Passwords;

namespace BatchMonitor.Web.Components.Admin;

/// <summary>What the Users page checks as the user types (the directory checks again, and more, on submit).</summary>
public static class UserChecks
{
    public static string? Email(string? email) =>
        string.IsNullOrWhiteSpace(email) || !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email.Trim())
            ? "Enter an email address."
            : null;

    public static string? Password(string? password) => password switch
    {
        null or "" => "Enter a password.",
        { Length: < PasswordRules.MinLength } => $"Use at least {PasswordRules.MinLength} characters.",
        _ => null,
    };
}
