using BatchMonitor.Core.Access;
using Microsoft.AspNetCore.Components.Authorization;

namespace BatchMonitor.Web.Auth;

/// <summary>Who is using this circuit: the acting user a page hands to the services, and its <c>createdBy</c>.</summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    public async Task<string?> NameAsync() => (await authentication.GetAuthenticationStateAsync()).User.Identity?.Name;

    /// <summary>Read at the moment of the command, so a role changed since the page opened counts.</summary>
    public async Task<Actor> ActorAsync() => (await authentication.GetAuthenticationStateAsync()).User.ToActor();
}
