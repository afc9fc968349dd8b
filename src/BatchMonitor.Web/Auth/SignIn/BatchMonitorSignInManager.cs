using System.Security.Claims;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Audit;
using BatchMonitor.Web.Auth.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BatchMonitor.Web.Auth.SignIn;

/// <summary>
/// Identity's sign-in, plus: a disabled user cannot sign in, and their existing sessions fail revalidation. Wrong
/// passwords are held back per email and address (<see cref="SignInThrottle"/>) instead of Identity's lockout of the
/// account, which anyone could use to keep the admin out. Every attempt checks a password hash, for an unknown email
/// too, so the answer takes as long and reads the same whether the account exists or not.
/// </summary>
public sealed class BatchMonitorSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation,
    SignInThrottle throttle,
    AuditTrail audit)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private static string? _dummyHash;

    public override async Task<bool> CanSignInAsync(AppUser user) => !user.Disabled && await base.CanSignInAsync(user);

    /// <summary><see cref="SignInResult.LockedOut"/> means "this address must wait before trying this email again".</summary>
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var address = Context.Connection.RemoteIpAddress?.ToString() ?? "local";
        if (throttle.IsHeld(userName, address, out _))
        {
            Logger.LogWarning("Sign-in refused: too many failures for one email from {Address}", address);
            await AuditAsync(userName, address, AuditActions.SignInFailed, "held back: too many failures from this address");
            return SignInResult.LockedOut;
        }

        var user = await UserManager.FindByNameAsync(userName);
        var matches = user is null ? VerifyDummy(password) : await UserManager.CheckPasswordAsync(user, password);
        if (user is null || !matches || !await CanSignInAsync(user))
        {
            throttle.RecordFailure(userName, address);
            await AuditAsync(userName, address, AuditActions.SignInFailed, "wrong email or password, or disabled");
            return SignInResult.Failed;
        }
        throttle.RecordSuccess(userName, address);
        await SignInAsync(user, isPersistent, "pwd");
        await AuditAsync(userName, address, AuditActions.SignedIn, null);
        return SignInResult.Success;
    }

    public override async Task<AppUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        return user is { Disabled: false } ? user : null;
    }

    private Task AuditAsync(string userName, string address, string action, string? detail) =>
        audit.WriteAsync(Actor.Viewer(userName) with { Address = address }, action, AuditSubjects.User(userName), detail);

    /// <summary>Checks the password against a hash of a random one (always false): the cost of a real check.</summary>
    private bool VerifyDummy(string password)
    {
        var dummy = new AppUser();
        var hash = _dummyHash ??= UserManager.PasswordHasher.HashPassword(dummy, Guid.NewGuid().ToString("N"));
        UserManager.PasswordHasher.VerifyHashedPassword(dummy, hash, password);
        return false;
    }
}
