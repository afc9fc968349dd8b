using BatchMonitor.Core.Validation;
using BatchMonitor.Web.Auth.Store;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Web.Auth.Users;

/// <summary>A user as the admin page lists them.</summary>
public sealed record UserView(string Id, string Email, string Role, bool Disabled, DateTimeOffset? LockedOutUntil, DateTime CreatedAt);

/// <summary>
/// Adds users, sets their role, disables them and resets passwords: what the admin pages do. Each call uses its own
/// scope (a live page lives for hours; a user manager and its context must not). The last enabled admin can be
/// neither demoted nor disabled, so the application always has someone who can manage it.
/// </summary>
public sealed class UserDirectory(IServiceScopeFactory scopes, TimeProvider time, ILogger<UserDirectory> logger)
{
    public async Task<IReadOnlyList<UserView>> ListAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name })
            .ToListAsync(ct);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var now = time.GetUtcNow();
        return users.ConvertAll(u => new UserView(u.Id, u.Email ?? u.UserName ?? "", RoleOf(u.Id), u.Disabled,
            u.LockoutEnd is { } end && end > now ? end : null, u.CreatedAt));

        string RoleOf(string id) => roles.Any(r => r.UserId == id && r.Name == Roles.Admin) ? Roles.Admin : Roles.Viewer;
    }

    public async Task<bool> AnyAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuthDbContext>().Users.AnyAsync(ct);
    }

    /// <summary>Adds a user who can sign in at once; errors are keyed <c>email</c>, <c>password</c> and <c>role</c>.</summary>
    public async Task<ValidationErrors> CreateAsync(string? email, string? password, string? role, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        email = email?.Trim();
        if (string.IsNullOrEmpty(email) || !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email))
            errors.Add("email", "Enter an email address.");
        if (string.IsNullOrEmpty(password)) errors.Add("password", "Enter a password.");
        if (!Roles.IsKnown(role)) errors.Add("role", "Choose admin or viewer.");
        if (!errors.IsValid) return errors;

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = time.GetUtcNow().UtcDateTime };
        var created = await users.CreateAsync(user, password!);
        if (!created.Succeeded) return ToErrors(created);
        var added = await users.AddToRoleAsync(user, role!);
        if (!added.Succeeded)
        {
            await users.DeleteAsync(user);
            return ToErrors(added);
        }
        logger.LogInformation("User {Email} added with role {Role}", email, role);
        return errors;
    }

    /// <summary>Null when done, else why not.</summary>
    public async Task<string?> SetRoleAsync(string userId, string role, string? actingUserId, CancellationToken ct = default)
    {
        if (!Roles.IsKnown(role)) return "Choose admin or viewer.";
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null) return "There is no such user.";
        var current = await users.GetRolesAsync(user);
        if (current.Count == 1 && current[0] == role) return null;
        if (role != Roles.Admin && current.Contains(Roles.Admin) && await IsLastAdminAsync(scope, user))
            return "This is the last admin; make someone else an admin first.";
        var removed = await users.RemoveFromRolesAsync(user, current);
        var added = removed.Succeeded ? await users.AddToRoleAsync(user, role) : removed;
        if (!added.Succeeded) return Describe(added);
        // A new stamp ends the user's sessions, so no page keeps the old role.
        await users.UpdateSecurityStampAsync(user);
        logger.LogInformation("User {Email} is now {Role} (changed by {Actor})", user.Email, role, actingUserId);
        return null;
    }

    public async Task<string?> SetDisabledAsync(string userId, bool disabled, string? actingUserId, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null) return "There is no such user.";
        if (user.Disabled == disabled) return null;
        if (disabled && user.Id == actingUserId) return "You cannot disable yourself.";
        if (disabled && await users.IsInRoleAsync(user, Roles.Admin) && await IsLastAdminAsync(scope, user))
            return "This is the last admin; make someone else an admin first.";
        user.Disabled = disabled;
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded) return Describe(updated);
        await users.UpdateSecurityStampAsync(user);
        logger.LogInformation("User {Email} {Action} (by {Actor})", user.Email, disabled ? "disabled" : "enabled", actingUserId);
        return null;
    }

    /// <summary>Sets a new password, ends the user's sessions and lifts a lockout. Errors are keyed <c>password</c>.</summary>
    public async Task<ValidationErrors> ResetPasswordAsync(string userId, string? password, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(password)) return ValidationErrors.Single("password", "Enter a password.");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null) return ValidationErrors.Single("user", "There is no such user.");
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, password);
        if (!reset.Succeeded) return ToErrors(reset);
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        logger.LogInformation("Password of {Email} reset", user.Email);
        return new ValidationErrors();
    }

    private static async Task<bool> IsLastAdminAsync(AsyncServiceScope scope, AppUser user)
    {
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var admins = await users.GetUsersInRoleAsync(Roles.Admin);
        return !admins.Any(a => a.Id != user.Id && !a.Disabled);
    }

    private static ValidationErrors ToErrors(IdentityResult result)
    {
        var errors = new ValidationErrors();
        foreach (var e in result.Errors)
        {
            var field = e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password"
                : e.Code.Contains("Role", StringComparison.Ordinal) ? "role"
                : "email";
            errors.Add(field, e.Description);
        }
        return errors;
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
