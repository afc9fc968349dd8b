using System.Net;
using System.Net.Http.Json;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Auth.Users;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Web.Auth;


/// <summary>Signing in and out of the pages: the form, the cookie, held-back guesses, redirects, roles.</summary>
public class SignInTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    [Fact]
    public async Task The_sign_in_page_has_the_fields_and_button_the_browser_tests_use()
    {
        var html = await app.Anonymous().GetStringAsync("/login");
        Assert.Contains("id=\"email\"", html);
        Assert.Contains("id=\"password\"", html);
        // MudBlazor's text fields put name on their input, so a plain post of the static form carries what was typed.
        Assert.Matches("<input[^>]*name=\"Input.Email\"[^>]*id=\"email\"|<input[^>]*id=\"email\"[^>]*name=\"Input.Email\"", html);
        Assert.Matches("<input[^>]*name=\"Input.Password\"[^>]*id=\"password\"|<input[^>]*id=\"password\"[^>]*name=\"Input.Password\"", html);
        Assert.Matches("<button[^>]*type=\"submit\"[^>]*>(<[^>]+>)*Sign in(</[^>]+>)*</button>", html);
        Assert.Contains("name=\"__RequestVerificationToken\"", html);
    }

    [Fact]
    public async Task A_page_sends_an_anonymous_visitor_to_sign_in_and_back_afterwards()
    {
        var client = app.Anonymous();
        var page = await client.GetAsync("/admin/users?tab=1");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login?returnUrl=%2Fadmin%2Fusers%3Ftab%3D1", page.Headers.Location!.OriginalString);

        var signIn = await BatchMonitorApp.PostLoginAsync(client, BatchMonitorApp.AdminEmail, BatchMonitorApp.AdminPassword, "/admin/users?tab=1");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/admin/users?tab=1", SameSite(signIn.Headers.Location));
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("BatchMonitor.Session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/users")).StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/phish")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task Sign_in_never_redirects_to_another_site(string returnUrl)
    {
        var response = await BatchMonitorApp.PostLoginAsync(app.Anonymous(), BatchMonitorApp.ViewerEmail, BatchMonitorApp.ViewerPassword, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", SameSite(response.Headers.Location));
    }

    [Fact]
    public async Task A_wrong_password_shows_an_error_and_signs_nobody_in()
    {
        var client = app.Anonymous();
        var response = await BatchMonitorApp.PostLoginAsync(client, BatchMonitorApp.ViewerEmail, "not-the-password");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Wrong email or password", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_hold_that_address_back_even_with_the_right_one_until_a_reset()
    {
        var users = app.Services.GetRequiredService<UserDirectory>();
        Assert.True((await users.CreateAsync("locked@test.local", "locked-password-1", Roles.Viewer)).IsValid);
        for (var i = 0; i < 5; i++) await BatchMonitorApp.PostLoginAsync(app.Anonymous(), "locked@test.local", $"wrong-{i}-password");

        var response = await BatchMonitorApp.PostLoginAsync(app.Anonymous(), "locked@test.local", "locked-password-1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Too many failed sign-ins", await response.Content.ReadAsStringAsync());

        // An admin's password reset lets the user in at once.
        var user = (await users.ListAsync()).Single(u => u.Email == "locked@test.local");
        Assert.True((await users.ResetPasswordAsync(user.Id, "fresh-password-2")).IsValid);
        await app.SignedInAsync("locked@test.local", "fresh-password-2");
    }

    [Fact]
    public async Task Signing_out_ends_the_session_and_needs_the_form_token()
    {
        var client = await app.SignedInAsync(BatchMonitorApp.ViewerEmail, BatchMonitorApp.ViewerPassword);
        var withoutToken = await client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "logout" }));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        var page = await client.GetStringAsync("/logout");
        var signOut = await client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "logout",
            ["__RequestVerificationToken"] = BatchMonitorApp.AntiforgeryToken(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/login", SameSite(signOut.Headers.Location));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
        await (await client.GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_viewer_is_sent_to_access_denied_from_admin_pages_and_refused_changes_through_the_api()
    {
        var viewer = await app.SignedInAsync(BatchMonitorApp.ViewerEmail, BatchMonitorApp.ViewerPassword);
        foreach (var path in new[] { "/admin/api-keys", "/admin/nodes" })
        {
            var page = await viewer.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.StartsWith("/access-denied", page.Headers.Location!.OriginalString);
            Assert.Contains("needs the <strong>admin</strong> role", await viewer.GetStringAsync(page.Headers.Location));
        }
        await (await viewer.PostAsJsonAsync("/api/v1/api-keys", new { name = "x" })).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    /// <summary>The path of a redirect, which must stay on this site.</summary>
    private static string SameSite(Uri? location)
    {
        Assert.NotNull(location);
        if (!location.IsAbsoluteUri) return location.OriginalString;
        Assert.Equal("localhost", location.Host);
        return location.PathAndQuery;
    }

    [Fact]
    public async Task The_signed_in_layout_names_the_user_and_shows_admin_links_to_admins_only()
    {
        var admin = await app.SignedInAsync(BatchMonitorApp.AdminEmail, BatchMonitorApp.AdminPassword);
        var adminHome = await admin.GetStringAsync("/");
        Assert.Contains(BatchMonitorApp.AdminEmail, adminHome);
        Assert.Contains("href=\"admin/users\"", adminHome);
        Assert.Contains("Sign out", adminHome);

        var viewer = await app.SignedInAsync(BatchMonitorApp.ViewerEmail, BatchMonitorApp.ViewerPassword);
        var viewerHome = await viewer.GetStringAsync("/");
        Assert.Contains(BatchMonitorApp.ViewerEmail, viewerHome);
        Assert.DoesNotContain("href=\"admin/users\"", viewerHome);
    }
}

/// <summary>What ends a session at once: disabling the user (sessions re-check on every request here).</summary>
public sealed class DisabledUserTests
{
    [Fact]
    public async Task A_disabled_user_cannot_sign_in_and_their_open_session_ends()
    {
        await using var app = BatchMonitorApp.With(new Dictionary<string, string?> { ["BatchMonitor:Auth:RevalidateSeconds"] = "0" });
        await app.InitializeAsync();
        var users = app.Services.GetRequiredService<UserDirectory>();
        Assert.True((await users.CreateAsync("leaver@test.local", "leaver-password-1", Roles.Admin)).IsValid);
        var session = await app.SignedInAsync("leaver@test.local", "leaver-password-1");
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/v1/batches")).StatusCode);

        var leaver = (await users.ListAsync()).Single(u => u.Email == "leaver@test.local");
        Assert.Equal("You cannot disable yourself.", await users.SetDisabledAsync(leaver.Id, true, leaver.Id));
        Assert.Null(await users.SetDisabledAsync(leaver.Id, true, actingUserId: null));

        await (await session.GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var again = await BatchMonitorApp.PostLoginAsync(app.Anonymous(), "leaver@test.local", "leaver-password-1");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("disabled", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_last_enabled_admin_can_be_neither_demoted_nor_disabled()
    {
        await using var app = new BatchMonitorApp();
        await app.InitializeAsync();
        var users = app.Services.GetRequiredService<UserDirectory>();
        var admin = (await users.ListAsync()).Single(u => u.Email == BatchMonitorApp.AdminEmail);
        Assert.Contains("last admin", await users.SetRoleAsync(admin.Id, Roles.Viewer, null));
        Assert.Contains("last admin", await users.SetDisabledAsync(admin.Id, true, null));
        Assert.True((await users.CreateAsync("second@test.local", "second-password-1", Roles.Admin)).IsValid);
        Assert.Null(await users.SetRoleAsync(admin.Id, Roles.Viewer, null));
    }

    [Fact]
    public async Task Sign_in_form_posts_are_rate_limited_per_address()
    {
        await using var app = BatchMonitorApp.With(new Dictionary<string, string?> { ["BatchMonitor:Auth:SignInAttemptsPerMinute"] = "3" });
        await app.InitializeAsync();
        var client = app.Anonymous();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await BatchMonitorApp.PostLoginAsync(client, "nobody@test.local", "guess-" + i)).StatusCode);
        var limited = await BatchMonitorApp.PostLoginAsync(client, BatchMonitorApp.AdminEmail, BatchMonitorApp.AdminPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode); // showing the page is not limited
    }
}
