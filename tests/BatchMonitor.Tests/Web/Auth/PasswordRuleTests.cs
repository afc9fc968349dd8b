using System.Net;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Auth.Users;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Web.Auth;

/// <summary>Passwords are at least 12 characters and not a common one, the email, or one character repeated: everywhere one is set.</summary>
public sealed class PasswordRuleTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    [Theory]
    [InlineData("aaaaaaaa")]
    [InlineData("aaaaaaaaaaaaaaaa")]
    [InlineData("eleven-char")]
    [InlineData("password1234")]
    [InlineData("Password123!")]
    [InlineData("qwertyuiop123")]
    [InlineData("123456789012")]
    [InlineData("{email}")]
    [InlineData("{EMAIL}")]
    public async Task A_weak_password_is_refused_for_a_new_user_and_for_a_reset(string password)
    {
        var users = app.Services.GetRequiredService<UserDirectory>();
        var created = await users.CreateAsync("rules.user@test.local", For("rules.user@test.local", password), Roles.Admin);
        Assert.False(created.IsValid);
        Assert.Equal(["password"], created.ToDictionary().Keys);

        var viewer = (await users.ListAsync()).Single(u => u.Email == BatchMonitorApp.ViewerEmail);
        var reset = await users.ResetPasswordAsync(viewer.Id, For(viewer.Email, password));
        Assert.False(reset.IsValid);
        Assert.Equal(["password"], reset.ToDictionary().Keys);
    }

    /// <summary>The password of a row, with the user's email where the row says so.</summary>
    private static string For(string email, string password) =>
        password.Replace("{email}", email).Replace("{EMAIL}", email.ToUpperInvariant());

    [Fact]
    public async Task A_long_uncommon_password_is_accepted()
    {
        var users = app.Services.GetRequiredService<UserDirectory>();
        Assert.True((await users.CreateAsync("strong.user@test.local", "correct horse battery", Roles.Viewer)).IsValid);
    }

    [Fact]
    public async Task The_setup_form_refuses_a_weak_password_for_the_first_admin()
    {
        await using var fresh = BatchMonitorApp.With(new Dictionary<string, string?>
        {
            ["BatchMonitor:Bootstrap:AdminEmail"] = null,
            ["BatchMonitor:Bootstrap:AdminPassword"] = null,
            ["BatchMonitor:Bootstrap:ApiKey"] = null,
        });
        await fresh.InitializeAsync();
        var client = fresh.Anonymous();
        var form = await client.GetStringAsync("/setup");
        var response = await client.PostAsync("/setup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "setup",
            ["__RequestVerificationToken"] = BatchMonitorApp.AntiforgeryToken(form),
            ["Input.Email"] = "first@test.local",
            ["Input.Password"] = "aaaaaaaaaaaa",
            ["Input.Confirm"] = "aaaaaaaaaaaa",
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("setup-error", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
        Assert.Equal("/setup", (await client.GetAsync("/")).Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_weak_bootstrap_password_stops_the_start()
    {
        await using var weak = BatchMonitorApp.With(new Dictionary<string, string?> { ["BatchMonitor:Bootstrap:AdminPassword"] = "aaaaaaaaaaaa" });
        var error = await Assert.ThrowsAnyAsync<Exception>(weak.InitializeAsync);
        Assert.Contains("BatchMonitor:Bootstrap", error.ToString());
    }
}
