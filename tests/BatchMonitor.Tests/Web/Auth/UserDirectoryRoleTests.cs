using BatchMonitor.Core.Access;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Auth.Users;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Web.Auth;

/// <summary>
/// The user directory checks who acts, where the change is made: a viewer actor is refused, and so is an admin who was
/// demoted or disabled while a page of theirs stayed open (the page still thinks they are an admin).
/// </summary>
public sealed class UserDirectoryRoleTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    private UserDirectory Directory => app.Services.GetRequiredService<UserDirectory>();

    private async Task<UserView> AddAsync(string role)
    {
        var (errors, user) = await Directory.AddAsync($"{role}-{Guid.NewGuid():N}@test.local", "a-long-password-for-tests-1", role);
        Assert.True(errors.IsValid, errors.ToString());
        return user!;
    }

    [Fact]
    public async Task An_admin_demoted_while_the_users_page_stayed_open_can_no_longer_change_anyone()
    {
        var stale = await AddAsync(Roles.Admin);
        var target = await AddAsync(Roles.Viewer);
        var admin = (await Directory.ListAsync()).Single(u => u.Email == BatchMonitorApp.AdminEmail);
        // Another admin demotes them; their open page still acts as the admin it was.
        Assert.Null(await Directory.SetRoleAsync(stale.Id, Roles.Viewer, admin.Id, by: Actor.Admin(admin.Email)));
        var asBefore = Actor.Admin(stale.Email);

        Assert.Equal(Actor.Refusal, await Directory.SetRoleAsync(target.Id, Roles.Admin, stale.Id, by: asBefore));
        Assert.Equal(Actor.Refusal, await Directory.SetDisabledAsync(target.Id, true, stale.Id, by: asBefore));
        Assert.Equal(Actor.Refusal, (await Directory.DeleteAsync(target.Id, stale.Id, by: asBefore)).Message);
        var unchanged = (await Directory.GetAsync(target.Id))!;
        Assert.Equal((Roles.Viewer, false), (unchanged.Role, unchanged.Disabled));
    }

    [Fact]
    public async Task A_disabled_admin_and_a_viewer_actor_are_refused_and_nothing_is_stored()
    {
        var disabled = await AddAsync(Roles.Admin);
        var target = await AddAsync(Roles.Viewer);
        var admin = (await Directory.ListAsync()).Single(u => u.Email == BatchMonitorApp.AdminEmail);
        Assert.Null(await Directory.SetDisabledAsync(disabled.Id, true, admin.Id, by: Actor.Admin(admin.Email)));

        Assert.Equal(Actor.Refusal, await Directory.SetRoleAsync(target.Id, Roles.Admin, disabled.Id, by: Actor.Admin(disabled.Email)));
        var viewer = Actor.Viewer("viewer@test.local");
        Assert.Equal(Actor.Refusal, await Directory.SetRoleAsync(target.Id, Roles.Admin, null, by: viewer));
        var added = await Directory.AddAsync($"never-{Guid.NewGuid():N}@test.local", "a-long-password-for-tests-1", Roles.Admin, by: viewer);
        Assert.Null(added.User);
        Assert.False((await Directory.ResetPasswordAsync(target.Id, "another-long-password-1", by: viewer)).IsValid);
        Assert.Equal(Roles.Viewer, (await Directory.GetAsync(target.Id))!.Role);
        Assert.DoesNotContain(await Directory.ListAsync(), u => u.Email.StartsWith("never-", StringComparison.Ordinal));
    }
}
