using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Components.Layout;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components;

public sealed class NavMenuTests
{
    [Fact]
    public async Task An_admin_is_shown_every_page_including_admin()
    {
        await using var h = await ComponentHarness.CreateAsync();

        var menu = h.Context.Render<NavMenu>();

        Assert.Equal(["", "batches", "batches/new", "datasets", "schedules", "handlers", "admin/users", "admin/api-keys", "admin/audit", "admin/nodes", "admin/retention"],
            menu.FindAll("a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task A_viewer_is_not_shown_the_admin_pages()
    {
        await using var h = await ComponentHarness.CreateAsync();
        h.Context.Services.GetRequiredService<TestUser>().Role = Roles.Viewer;

        var menu = h.Context.Render<NavMenu>();

        Assert.Equal(["", "batches", "datasets", "schedules", "handlers"], menu.FindAll("a").Select(a => a.GetAttribute("href")));
    }
}
