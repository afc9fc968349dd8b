using System.Net;
using System.Net.Http.Json;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Auth;

/// <summary>First start: with no user every page leads to /setup, which makes the first admin and is gone afterwards.</summary>
public sealed class SetupTests
{
    private static readonly Dictionary<string, string?> NoBootstrap = new()
    {
        ["BatchMonitor:Bootstrap:AdminEmail"] = null,
        ["BatchMonitor:Bootstrap:AdminPassword"] = null,
        ["BatchMonitor:Bootstrap:ApiKey"] = null,
    };

    [Fact]
    public async Task With_no_user_every_page_leads_to_setup_which_creates_the_first_admin_once()
    {
        await using var app = BatchMonitorApp.With(NoBootstrap);
        await app.InitializeAsync();
        var client = app.Anonymous();
        foreach (var page in new[] { "/", "/login", "/admin/users" })
        {
            var response = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/setup", response.Headers.Location!.OriginalString);
        }
        await (await client.GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        var form = await client.GetStringAsync("/setup");
        Assert.Contains("Create administrator", form);
        var tooShort = await PostSetupAsync(client, form, "first@test.local", "short", "short");
        Assert.Equal(HttpStatusCode.OK, tooShort.StatusCode);
        Assert.Contains("at least 12 characters", await tooShort.Content.ReadAsStringAsync());

        var created = await PostSetupAsync(client, await client.GetStringAsync("/setup"), "first@test.local", "first-password-1", "first-password-1");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/", created.Headers.Location!.OriginalString);

        // Signed in as the new admin, who may change things.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        var batch = await client.PostAsJsonAsync("/api/v1/batches", new { handler = "demo", items = new[] { "a" } });
        Assert.Equal(HttpStatusCode.Accepted, batch.StatusCode);
        Assert.Equal("first@test.local", (await batch.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("createdBy").GetString());

        // Gone now, for everyone.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/setup")).StatusCode);
        var stranger = app.Anonymous();
        Assert.NotEqual(HttpStatusCode.OK, (await stranger.GetAsync("/setup")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync("/login")).StatusCode);
    }

    [Fact]
    public async Task Bootstrap_settings_that_cannot_make_an_admin_stop_the_start_with_a_clear_error()
    {
        await using var app = BatchMonitorApp.With(new Dictionary<string, string?>
        {
            ["BatchMonitor:Bootstrap:AdminPassword"] = "short",
        });
        var error = await Assert.ThrowsAnyAsync<Exception>(app.InitializeAsync);
        Assert.Contains("BatchMonitor:Bootstrap", error.ToString());
    }

    [Fact]
    public async Task A_sign_in_survives_a_restart_because_the_data_protection_keys_are_kept_beside_the_database()
    {
        var folder = BatchMonitorApp.NewFolder();
        try
        {
            string cookie;
            await using (var first = BatchMonitorApp.With(null, folder: folder))
            {
                await first.InitializeAsync();
                var response = await BatchMonitorApp.PostLoginAsync(first.Anonymous(), BatchMonitorApp.AdminEmail, BatchMonitorApp.AdminPassword);
                cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("BatchMonitor.Session=", StringComparison.Ordinal)).Split(';')[0];
            }
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder, "keys"), "*.xml"));

            await using var second = BatchMonitorApp.With(null, folder: folder);
            await second.InitializeAsync();
            var client = second.Anonymous();
            client.DefaultRequestHeaders.Add("Cookie", cookie);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/batches")).StatusCode);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task<HttpResponseMessage> PostSetupAsync(HttpClient client, string page, string email, string password, string confirm) =>
        client.PostAsync("/setup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "setup",
            ["__RequestVerificationToken"] = BatchMonitorApp.AntiforgeryToken(page),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.Confirm"] = confirm,
        }));
}
