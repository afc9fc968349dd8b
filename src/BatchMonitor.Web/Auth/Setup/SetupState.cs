using BatchMonitor.Core.Validation;
using BatchMonitor.Web.Auth.Users;

namespace BatchMonitor.Web.Auth.Setup;

/// <summary>
/// Whether the application still needs its first admin. Once a user exists that never changes again, so after the
/// first look the answer costs nothing.
/// </summary>
public sealed class SetupState(UserDirectory users)
{
    private readonly SemaphoreSlim _creating = new(1, 1);
    private volatile bool _hasUsers;

    public async ValueTask<bool> IsNeededAsync(CancellationToken ct = default)
    {
        if (_hasUsers) return false;
        _hasUsers = await users.AnyAsync(ct);
        return !_hasUsers;
    }

    /// <summary>Creates the first admin, unless someone got there first (two setup forms sent at once make one admin).</summary>
    public async Task<ValidationErrors> CreateFirstAdminAsync(string? email, string? password, CancellationToken ct = default)
    {
        await _creating.WaitAsync(ct);
        try
        {
            if (!await IsNeededAsync(ct)) return ValidationErrors.Single("email", "Setup is already done; sign in instead.");
            var errors = await users.CreateAsync(email, password, Roles.Admin, ct);
            if (errors.IsValid) _hasUsers = true;
            return errors;
        }
        finally
        {
            _creating.Release();
        }
    }
}
