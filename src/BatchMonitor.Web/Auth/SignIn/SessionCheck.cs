using System.Collections.Concurrent;
using System.Security.Claims;
using BatchMonitor.Web.Auth.Store;
using BatchMonitor.Web.Auth.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BatchMonitor.Web.Auth.SignIn;

/// <summary>
/// Checks a signed-in cookie on every request: its user must still exist, be enabled and have the security stamp the
/// cookie was issued with (a role change, disabling or a password reset changes the stamp). What it reads per user
/// is kept for <see cref="AuthSettings.RevalidateSeconds"/> and dropped the moment <see cref="UserChanges"/> tells of a
/// change to that user, so a demoted or disabled user's next request is refused without a database read per request.
/// </summary>
public sealed class SessionCheck
{
    private readonly IDbContextFactory<AuthDbContext> _contexts;
    private readonly TimeProvider _time;
    private readonly IOptions<IdentityOptions> _identity;
    private readonly TimeSpan _keep;
    private readonly ConcurrentDictionary<string, Known> _known = new(StringComparer.Ordinal);

    private sealed record Known(string? Stamp, bool Disabled, DateTimeOffset ReadAt);

    public SessionCheck(IDbContextFactory<AuthDbContext> contexts, TimeProvider time, IOptions<IdentityOptions> identity,
        IOptions<AuthSettings> settings, UserChanges changes)
    {
        _contexts = contexts;
        _time = time;
        _identity = identity;
        _keep = TimeSpan.FromSeconds(Math.Max(0, settings.Value.RevalidateSeconds));
        changes.Changed += userId => _known.TryRemove(userId, out _);
    }

    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var userId = principal.FindFirstValue(_identity.Value.ClaimsIdentity.UserIdClaimType);
        if (userId is null) return false;
        var now = _time.GetUtcNow();
        if (!_known.TryGetValue(userId, out var known) || now - known.ReadAt >= _keep)
        {
            await using var db = await _contexts.CreateDbContextAsync(ct);
            var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => new { u.SecurityStamp, u.Disabled }).SingleOrDefaultAsync(ct);
            if (user is null)
            {
                _known.TryRemove(userId, out _);
                return false;
            }
            known = new Known(user.SecurityStamp, user.Disabled, now);
            if (_keep > TimeSpan.Zero) _known[userId] = known;
        }
        return !known.Disabled && known.Stamp == principal.FindFirstValue(_identity.Value.ClaimsIdentity.SecurityStampClaimType);
    }
}
