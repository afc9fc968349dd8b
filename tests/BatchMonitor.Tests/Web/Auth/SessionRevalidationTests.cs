using System.Net;
using System.Security.Claims;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Auth.Store;
using BatchMonitor.Web.Auth.Users;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Web.Auth;

/// <summary>
/// Demoting or disabling a user takes effect on their next request and in their open pages, with the default
/// settings (no waiting for a periodic re-check).
/// </summary>
public sealed class SessionRevalidationTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    [Fact]
    public async Task A_demoted_admin_loses_admin_rights_on_the_next_request()
    {
        var (users, id, session) = await SecondAdminAsync("demoted@test.local");
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/v1/api-keys")).StatusCode);

        Assert.Null(await users.SetRoleAsync(id, Roles.Viewer, null));

        var after = await session.GetAsync("/api/v1/api-keys");
        Assert.Contains(after.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
    }

    [Fact]
    public async Task A_disabled_admin_is_signed_out_on_the_next_request()
    {
        var (users, id, session) = await SecondAdminAsync("disabled@test.local");
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/v1/batches")).StatusCode);

        Assert.Null(await users.SetDisabledAsync(id, true, null));

        await (await session.GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_open_page_of_a_demoted_admin_signs_out_at_once()
    {
        var (users, id, _) = await SecondAdminAsync("circuit@test.local");
        await using var scope = app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByIdAsync(id);
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync(user!);
        var provider = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        ((IHostEnvironmentAuthenticationStateProvider)provider).SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        Assert.True((await provider.GetAuthenticationStateAsync()).User.IsInRole(Roles.Admin));

        Assert.Null(await users.SetRoleAsync(id, Roles.Viewer, null));

        await Wait.UntilAsync(async () => (await provider.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated != true,
            "the open page to sign out", TimeSpan.FromSeconds(10));
        Assert.False((await provider.GetAuthenticationStateAsync()).User.FindFirstValue(ClaimTypes.Role) == Roles.Admin);
    }

    private async Task<(UserDirectory Users, string Id, HttpClient Session)> SecondAdminAsync(string email)
    {
        var users = app.Services.GetRequiredService<UserDirectory>();
        Assert.True((await users.CreateAsync(email, "second-admin-password-1", Roles.Admin)).IsValid);
        var id = (await users.ListAsync()).Single(u => u.Email == email).Id;
        return (users, id, await app.SignedInAsync(email, "second-admin-password-1"));
    }
}
