using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Components.Pages.Account.Shared;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components;

/// <summary>The account corner of the top bar (built on AuthorizeView): who is signed in, in which role, and sign out.</summary>
public sealed class UserMenuTests
{
    [Fact]
    public async Task An_admin_sees_their_name_role_and_sign_out()
    {
        await using var h = await ComponentHarness.CreateAsync();

        var menu = h.Context.Render<UserMenu>();

        Assert.Equal("admin@example.com admin", Squeeze(menu.Find("[data-testid=signed-in-user]").TextContent));
        Assert.Equal("Sign out", menu.Find("form[action='/logout'] button").TextContent.Trim());
    }

    [Fact]
    public async Task A_viewer_sees_their_name_and_role()
    {
        await using var h = await ComponentHarness.CreateAsync();
        h.Context.Services.GetRequiredService<TestUser>().Role = Roles.Viewer;

        var menu = h.Context.Render<UserMenu>();

        Assert.Equal("admin@example.com viewer", Squeeze(menu.Find("[data-testid=signed-in-user]").TextContent));
    }

    private static string Squeeze(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
