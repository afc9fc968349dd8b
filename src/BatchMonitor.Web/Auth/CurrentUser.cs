using Microsoft.AspNetCore.Components.Authorization;

namespace BatchMonitor.Web.Auth;

/// <summary>Who is using this circuit: what a page records as <c>createdBy</c>.</summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    public async Task<string?> NameAsync() => (await authentication.GetAuthenticationStateAsync()).User.Identity?.Name;
}
