using BatchMonitor.Core.Access;
using BatchMonitor.Core.Audit;
using BatchMonitor.Core.Validation;
using BatchMonitor.Web.Auth.Passwords;
using BatchMonitor.Web.Auth.SignIn;
using BatchMonitor.Web.Auth.Store;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Web.Auth.Users;

/// <summary>A user as the admin page and <c>GET /api/v1/users</c> list them.</summary>
public sealed record UserView(string Id, string Email, string Role, bool Disabled, DateTime CreatedAt);

/// <summary>
/// Adds users, sets their role, disables, removes them and resets passwords: what the Users page and
/// <c>/api/v1/users</c> do, with the same rules. Each call uses its own scope (a live page lives for hours; a user
/// manager and its context must not). The last enabled admin can be neither demoted, disabled nor removed, so the
/// application always has someone who can manage it; nobody disables or removes themselves. Every change is told
/// to <see cref="UserChanges"/>, so the user's sessions see it on their next request.
/// </summary>
public sealed class UserDirectory(IServiceScopeFactory scopes, TimeProvider time, UserChanges changes, SignInThrottle throttle,
    AuditTrail audit, ILogger<UserDirectory> logger)
{
    public const string LastAdmin = "This is the last admin; make someone else an admin first.";

    public const string DuplicateEmail = "Someone already signs in with this email.";

    public async Task<IReadOnlyList<UserView>> ListAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var admins = await AdminIdsAsync(db, ct);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        return users.ConvertAll(u => ToView(u, admins.Contains(u.Id)));
    }

    public async Task<UserView?> GetAsync(string userId, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct);
        return user is null ? null : ToView(user, (await AdminIdsAsync(db, ct)).Contains(user.Id));
    }

    public async Task<bool> AnyAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuthDbContext>().Users.AnyAsync(ct);
    }

    /// <summary>Adds a user who can sign in at once; errors are keyed <c>email</c>, <c>password</c> and <c>role</c>.</summary>
    public async Task<ValidationErrors> CreateAsync(string? email, string? password, string? role, CancellationToken ct = default,
        Actor? by = null) =>
        (await AddAsync(email, password, role, ct, by)).Errors;

    /// <summary>As <see cref="CreateAsync"/>, with the new user when it was added.</summary>
    public async Task<(ValidationErrors Errors, UserView? User)> AddAsync(string? email, string? password, string? role, CancellationToken ct = default,
        Actor? by = null)
    {
        if (by is { MayChange: false }) return (ValidationErrors.Single("user", Actor.Refusal), null);
        var errors = new ValidationErrors();
        email = email?.Trim();
        if (string.IsNullOrEmpty(email) || !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email))
            errors.Add("email", "Enter an email address.");
        if (string.IsNullOrEmpty(password)) errors.Add("password", "Enter a password.");
        if (!Roles.IsKnown(role)) errors.Add("role", "Choose admin or viewer.");
        if (!errors.IsValid) return (errors, null);

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = time.GetUtcNow().UtcDateTime };
        var created = await users.CreateAsync(user, password!);
        if (!created.Succeeded) return (ToErrors(created), null);
        var added = await users.AddToRoleAsync(user, role!);
        if (!added.Succeeded)
        {
            await users.DeleteAsync(user);
            return (ToErrors(added), null);
        }
        logger.LogInformation("User {Email} added with role {Role}", email, role);
        await AuditAsync(by, AuditActions.UserCreated, email, $"role {role}", ct);
        return (errors, ToView(user, role == Roles.Admin));
    }

    /// <summary>
    /// Whoever changes users must be an admin now, as the store has it, not as a page opened before a demotion
    /// remembers: a viewer actor is refused, and so is an acting user who is no longer an enabled admin.
    /// </summary>
    private static async Task<UserChange?> RefusedAsync(UserManager<AppUser> users, string? actingUserId, Actor? by)
    {
        if (by is { MayChange: false }) return UserChange.Refused(Actor.Refusal);
        if (actingUserId is null) return null;
        var acting = await users.FindByIdAsync(actingUserId);
        return acting is { Disabled: false } && await users.IsInRoleAsync(acting, Roles.Admin) ? null : UserChange.Refused(Actor.Refusal);
    }

    /// <summary>Null when done, else why not.</summary>
    public async Task<string?> SetRoleAsync(string userId, string role, string? actingUserId, CancellationToken ct = default, Actor? by = null) =>
        (await ChangeRoleAsync(userId, role, actingUserId, ct, by)) is { Succeeded: false } change ? change.Message : null;

    public async Task<UserChange> ChangeRoleAsync(string userId, string? role, string? actingUserId, CancellationToken ct = default,
        Actor? by = null)
    {
        if (!Roles.IsKnown(role)) return UserChange.Invalid("Choose admin or viewer.");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await RefusedAsync(users, actingUserId, by) is { } refused) return refused;
        var user = await users.FindByIdAsync(userId);
        if (user is null) return UserChange.NotFound;
        var current = await users.GetRolesAsync(user);
        if (current.Count == 1 && current[0] == role) return UserChange.Done;
        if (role != Roles.Admin && current.Contains(Roles.Admin) && await IsLastAdminAsync(scope, user)) return UserChange.Refused(LastAdmin);
        var removed = await users.RemoveFromRolesAsync(user, current);
        var added = removed.Succeeded ? await users.AddToRoleAsync(user, role!) : removed;
        if (!added.Succeeded) return UserChange.Refused(Describe(added));
        // A new stamp ends the user's sessions, so no page keeps the old role.
        await users.UpdateSecurityStampAsync(user);
        changes.Raise(user.Id);
        logger.LogInformation("User {Email} is now {Role} (changed by {Actor})", user.Email, role, actingUserId);
        await AuditAsync(by, AuditActions.UserUpdated, user.Email, $"role {role}", ct);
        return UserChange.Done;
    }

    /// <summary>Null when done, else why not.</summary>
    public async Task<string?> SetDisabledAsync(string userId, bool disabled, string? actingUserId, CancellationToken ct = default,
        Actor? by = null) =>
        (await ChangeDisabledAsync(userId, disabled, actingUserId, ct, by)) is { Succeeded: false } change ? change.Message : null;

    public async Task<UserChange> ChangeDisabledAsync(string userId, bool disabled, string? actingUserId, CancellationToken ct = default,
        Actor? by = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await RefusedAsync(users, actingUserId, by) is { } refused) return refused;
        var user = await users.FindByIdAsync(userId);
        if (user is null) return UserChange.NotFound;
        if (user.Disabled == disabled) return UserChange.Done;
        if (disabled && user.Id == actingUserId) return UserChange.Refused("You cannot disable yourself.");
        if (disabled && await users.IsInRoleAsync(user, Roles.Admin) && await IsLastAdminAsync(scope, user)) return UserChange.Refused(LastAdmin);
        user.Disabled = disabled;
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded) return UserChange.Refused(Describe(updated));
        await users.UpdateSecurityStampAsync(user);
        changes.Raise(user.Id);
        logger.LogInformation("User {Email} {Action} (by {Actor})", user.Email, disabled ? "disabled" : "enabled", actingUserId);
        await AuditAsync(by, AuditActions.UserUpdated, user.Email, disabled ? "disabled" : "enabled", ct);
        return UserChange.Done;
    }

    /// <summary>Removes a user, their API keys with them; never the last admin, never the one asking.</summary>
    public async Task<UserChange> DeleteAsync(string userId, string? actingUserId, CancellationToken ct = default, Actor? by = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await RefusedAsync(users, actingUserId, by) is { } refused) return refused;
        var user = await users.FindByIdAsync(userId);
        if (user is null) return UserChange.NotFound;
        if (user.Id == actingUserId) return UserChange.Refused("You cannot remove yourself.");
        if (await users.IsInRoleAsync(user, Roles.Admin) && await IsLastAdminAsync(scope, user)) return UserChange.Refused(LastAdmin);
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        await db.ApiKeys.Where(k => k.UserId == user.Id).ExecuteDeleteAsync(ct);
        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded) return UserChange.Refused(Describe(deleted));
        changes.Raise(user.Id);
        logger.LogInformation("User {Email} removed (by {Actor})", user.Email, actingUserId);
        await AuditAsync(by, AuditActions.UserDeleted, user.Email, null, ct);
        return UserChange.Done;
    }

    /// <summary>Sets a new password, ends the user's sessions and lets them sign in at once. Errors are keyed <c>password</c>.</summary>
    public async Task<ValidationErrors> ResetPasswordAsync(string userId, string? password, CancellationToken ct = default, Actor? by = null)
    {
        if (by is { MayChange: false }) return ValidationErrors.Single("user", Actor.Refusal);
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
        throttle.Forget(user.Email ?? user.UserName ?? "");
        changes.Raise(user.Id);
        logger.LogInformation("Password of {Email} reset", user.Email);
        await AuditAsync(by, AuditActions.UserUpdated, user.Email, "password reset", ct);
        return new ValidationErrors();
    }

    /// <summary>A change of the auth store is audited once it succeeded (it is not a write to the batches' store).</summary>
    private Task AuditAsync(Actor? by, string action, string? email, string? detail, CancellationToken ct) =>
        audit.WriteAsync(by ?? Actor.Admin(null), action, AuditSubjects.User(email ?? "?"), detail, ct);

    private static async Task<HashSet<string>> AdminIdsAsync(AuthDbContext db, CancellationToken ct) =>
        (await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where r.Name == Roles.Admin select ur.UserId)
            .ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

    private static UserView ToView(AppUser u, bool isAdmin) =>
        new(u.Id, u.Email ?? u.UserName ?? "", isAdmin ? Roles.Admin : Roles.Viewer, u.Disabled, u.CreatedAt);

    private static async Task<bool> IsLastAdminAsync(AsyncServiceScope scope, AppUser user)
    {
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var admins = await users.GetUsersInRoleAsync(Roles.Admin);
        return !admins.Any(a => a.Id != user.Id && !a.Disabled);
    }

    /// <summary>Identity's refusals in the words of our forms, under the field they are about.</summary>
    private static ValidationErrors ToErrors(IdentityResult result)
    {
        var errors = new ValidationErrors();
        foreach (var e in result.Errors)
        {
            // Identity names the email twice (as the user name and as the email): one message, in our words.
            _ = e.Code switch
            {
                nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.DuplicateEmail) =>
                    errors.Add("email", DuplicateEmail),
                nameof(IdentityErrorDescriber.InvalidUserName) or nameof(IdentityErrorDescriber.InvalidEmail) =>
                    errors.Add("email", "Enter an email address."),
                nameof(IdentityErrorDescriber.PasswordTooShort) => errors.Add("password", $"Use at least {PasswordRules.MinLength} characters."),
                var code when code.StartsWith("Password", StringComparison.Ordinal) => errors.Add("password", e.Description),
                var code when code.Contains("Role", StringComparison.Ordinal) => errors.Add("role", "Choose admin or viewer."),
                _ => errors.Add("email", e.Description),
            };
        }
        return errors;
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
