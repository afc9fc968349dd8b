using System.Security.Claims;
using BatchMonitor.Web.Auth.Store;
using BatchMonitor.Web.Auth.Users;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BatchMonitor.Web.Auth.SignIn;

/// <summary>
/// The sign-in state of a live page (a circuit). Once the user is disabled, removed, their role changes or their
/// password is reset, the page signs out: at once when the change is made here (<see cref="UserChanges"/>), and in
/// any case at the next check every <see cref="AuthSettings.RevalidateSeconds"/>.
/// </summary>
public sealed class RevalidatingAuthStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<IdentityOptions> _identity;
    private readonly IOptions<AuthSettings> _settings;
    private readonly UserChanges _changes;
    private readonly ILogger _logger;

    public RevalidatingAuthStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity,
        IOptions<AuthSettings> settings, UserChanges changes) : base(loggerFactory)
    {
        _scopes = scopes;
        _identity = identity;
        _settings = settings;
        _changes = changes;
        _logger = loggerFactory.CreateLogger<RevalidatingAuthStateProvider>();
        _changes.Changed += OnUserChanged;
    }

    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(Math.Max(1, _settings.Value.RevalidateSeconds));

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.GetUserAsync(state.User);
        if (user is null || user.Disabled) return false;
        var stamp = state.User.FindFirstValue(_identity.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }

    private void OnUserChanged(string userId) => _ = RevalidateNowAsync(userId);

    private async Task RevalidateNowAsync(string userId)
    {
        try
        {
            var state = await GetAuthenticationStateAsync();
            if (state.User.FindFirstValue(_identity.Value.ClaimsIdentity.UserIdClaimType) != userId) return;
            if (!await ValidateAuthenticationStateAsync(state, CancellationToken.None))
                SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Could not re-check a page's user after a change; the periodic check will");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _changes.Changed -= OnUserChanged;
        base.Dispose(disposing);
    }
}
