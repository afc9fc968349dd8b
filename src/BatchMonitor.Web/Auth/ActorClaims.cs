using System.Security.Claims;
using BatchMonitor.Core.Access;

namespace BatchMonitor.Web.Auth;

/// <summary>The acting user the services check, from a signed-in principal (cookie, API key or circuit).</summary>
public static class ActorClaims
{
    public static Actor ToActor(this ClaimsPrincipal user) =>
        new(user.Identity?.Name, user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Admin));
}
