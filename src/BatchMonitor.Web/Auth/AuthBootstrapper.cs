using BatchMonitor.Web.Auth.ApiKeys;
using BatchMonitor.Web.Auth.Setup;
using BatchMonitor.Web.Auth.Store;
using BatchMonitor.Web.Auth.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BatchMonitor.Web.Auth;

/// <summary>
/// At start-up: brings the auth tables to the newest migration, makes sure the two roles exist, and on a first
/// start with <c>BatchMonitor:Bootstrap</c> settings creates the first admin (and its API key). The bootstrap
/// settings are used only while no user exists: a key revoked later is not brought back by a restart.
/// </summary>
public sealed class AuthBootstrapper(
    IDbContextFactory<AuthDbContext> contexts,
    IServiceScopeFactory scopes,
    SetupState setup,
    ApiKeyService keys,
    IOptions<BootstrapSettings> bootstrap,
    ILogger<AuthBootstrapper> logger)
{
    public async Task RunAsync(CancellationToken ct = default)
    {
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            if (pending.Count > 0) logger.LogInformation("Auth migrations to apply ({Count}): {Migrations}", pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(ct);
        }

        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
        }

        await BootstrapAsync(scope, ct);
    }

    private async Task BootstrapAsync(AsyncServiceScope scope, CancellationToken ct)
    {
        var settings = bootstrap.Value;
        var email = settings.AdminEmail?.Trim();
        if (string.IsNullOrEmpty(email) && string.IsNullOrEmpty(settings.AdminPassword) && string.IsNullOrEmpty(settings.ApiKey)) return;
        if (!await setup.IsNeededAsync(ct))
        {
            logger.LogInformation("Users exist already; the BatchMonitor:Bootstrap settings are not used");
            return;
        }
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(settings.AdminPassword))
            throw new InvalidOperationException("BatchMonitor:Bootstrap needs both AdminEmail and AdminPassword.");
        if (settings.ApiKey is { } key && (key.Trim().Length < ApiKeyFormat.MinLength || key.Trim().Length > ApiKeyFormat.MaxLength))
            throw new InvalidOperationException(
                $"BatchMonitor:Bootstrap:ApiKey must be {ApiKeyFormat.MinLength} to {ApiKeyFormat.MaxLength} characters long.");

        var errors = await setup.CreateFirstAdminAsync(email, settings.AdminPassword, ct);
        if (!errors.IsValid) throw new InvalidOperationException($"BatchMonitor:Bootstrap could not create the first admin: {errors}");
        logger.LogInformation("Created the first admin {Email} from BatchMonitor:Bootstrap", email);

        if (!string.IsNullOrWhiteSpace(settings.ApiKey))
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var admin = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException("The bootstrap admin vanished.");
            await keys.CreateAsync("bootstrap", Roles.Admin, admin.Id, email, settings.ApiKey.Trim(), ct);
        }
    }
}
