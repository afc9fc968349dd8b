using BatchMonitor.Web.Auth.Store;
using Microsoft.AspNetCore.Identity;

namespace BatchMonitor.Web.Auth.Passwords;

/// <summary>
/// What a password must be, wherever one is set (setup, bootstrap settings, the Users page, the API, a reset): at least
/// <see cref="MinLength"/> characters (Identity's own length rule), and none of the passwords guessed first: one of
/// the most common (also with digits or symbols added at the end, as in <c>Password123!</c>), the user's email or
/// its name part, or one character or a short run repeated (<c>aaaaaaaaaaaa</c>, <c>abcabcabcabc</c>).
/// </summary>
public sealed class PasswordRules : IPasswordValidator<AppUser>
{
    public const int MinLength = 12;

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        if (string.IsNullOrEmpty(password)) return Task.FromResult(IdentityResult.Success);
        var error = Check(password, user.Email ?? user.UserName);
        return Task.FromResult(error is null ? IdentityResult.Success : IdentityResult.Failed(error));
    }

    private static IdentityError? Check(string password, string? email)
    {
        var lower = password.Trim().ToLowerInvariant();
        if (email is { Length: > 0 })
        {
            var address = email.Trim().ToLowerInvariant();
            var name = address.Split('@')[0];
            if (lower == address || lower == name)
                return new IdentityError { Code = "PasswordIsEmail", Description = "The password cannot be the email address." };
        }
        if (IsRepetition(lower))
            return new IdentityError { Code = "PasswordRepeats", Description = "The password cannot be one character or a short run repeated." };
        var stem = lower.TrimEnd("0123456789!?.,;:-_+*#@$%&/=~ ".ToCharArray());
        if (CommonPasswords.Contains(lower) || (stem.Length >= 4 && CommonPasswords.Contains(stem)))
            return new IdentityError { Code = "PasswordTooCommon", Description = "This password is one of the most common ones; choose another." };
        return null;
    }

    /// <summary>True for one character, or a run of up to three, repeated over the whole password.</summary>
    private static bool IsRepetition(string password)
    {
        for (var unit = 1; unit <= 3 && unit < password.Length; unit++)
        {
            var repeats = true;
            for (var i = unit; i < password.Length && repeats; i++) repeats = password[i] == password[i % unit];
            if (repeats) return true;
        }
        return false;
    }
}
