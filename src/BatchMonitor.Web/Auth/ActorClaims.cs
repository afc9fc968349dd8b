using System.Security.Claims;
using BatchMonitor.Core.Access;
using Microsoft.AspNetCore.Authentication;

namespace BatchMonitor.Web.Auth;

/// <summary>The acting user the services check, from a signed-in principal (cookie, API key or circuit).</summary>
public static class ActorClaims
{
    /// <summary>The claim that carries the client's address (see <see cref="ClientAddressClaims"/>).</summary>
    public const string AddressType = "batchmonitor:address";

    public static Actor ToActor(this ClaimsPrincipal user) =>
        new(user.Identity?.Name, user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Admin))
        {
            Address = user.FindFirst(AddressType)?.Value,
        };
}

/// <summary>
/// Adds the request's client address (after trusted proxies) to the signed-in principal on every authentication, so
/// the <see cref="Actor"/> of an API call or of a live page (its circuit's principal comes from the request that opened
/// it) says where a change came from. Never stored in the cookie; always the current request's.
/// </summary>
public sealed class ClientAddressClaims(IHttpContextAccessor http) : IClaimsTransformation
{
    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        var address = http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        if (address is null || principal.Identity?.IsAuthenticated != true || principal.FindFirst(ActorClaims.AddressType)?.Value == address)
            return Task.FromResult(principal);
        // An identity of its own, not authenticated (no authentication type), after the user's: it adds no sign-in.
        var copy = new ClaimsPrincipal(principal.Identities.Where(i => !i.HasClaim(c => c.Type == ActorClaims.AddressType)));
        copy.AddIdentity(new ClaimsIdentity([new Claim(ActorClaims.AddressType, address)]));
        return Task.FromResult(copy);
    }
}
