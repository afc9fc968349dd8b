using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>/api/v1/users: what the Users page does, for scripts, with the same rules and readable field errors.</summary>
public class UserEndpointTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    [Fact]
    public async Task An_admin_adds_a_user_who_is_listed_and_can_sign_in()
    {
        var response = await app.Admin().PostAsJsonAsync("/api/v1/users", new { email = "script.made@test.local", password = "made-by-a-script-1", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/users/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("script.made@test.local", created.GetProperty("email").GetString());
        Assert.Equal("viewer", created.GetProperty("role").GetString());
        Assert.False(created.GetProperty("disabled").GetBoolean());
        Assert.False(created.TryGetProperty("passwordHash", out _));

        var one = await app.Admin().GetFromJsonAsync<JsonElement>(response.Headers.Location);
        Assert.Equal(id, one.GetProperty("id").GetString());
        var list = await app.Admin().GetFromJsonAsync<JsonElement[]>("/api/v1/users");
        Assert.Contains(list!, u => u.GetProperty("email").GetString() == "script.made@test.local");
        await app.SignedInAsync("script.made@test.local", "made-by-a-script-1");
    }

    [Fact]
    public async Task Identity_s_refusals_come_back_as_readable_field_errors()
    {
        var taken = await app.Admin().PostAsJsonAsync("/api/v1/users", new { email = BatchMonitorApp.ViewerEmail, password = "another-password-1", role = "viewer" });
        var problem = await taken.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["Someone already signs in with this email."], Messages(problem, "email"));

        var weak = await app.Admin().PostAsJsonAsync("/api/v1/users", new { email = "weak@test.local", password = "aaaaaaaa", role = "viewer" });
        Assert.Equal(["password"], (await weak.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());

        var noRole = await app.Admin().PostAsJsonAsync("/api/v1/users", new { email = "norole@test.local", password = "norole-password-1", role = "owner" });
        Assert.Equal(["role"], (await noRole.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());

        var notEmail = await app.Admin().PostAsJsonAsync("/api/v1/users", new { email = "not an email", password = "not-an-email-password-1", role = "viewer" });
        Assert.Equal(["email"], (await notEmail.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());

        var list = await app.Admin().GetFromJsonAsync<JsonElement[]>("/api/v1/users");
        Assert.DoesNotContain(list!, u => u.GetProperty("email").GetString() is "weak@test.local" or "norole@test.local");
    }

    [Fact]
    public async Task An_admin_changes_the_role_disables_and_removes_a_user()
    {
        var id = await CreateAsync("changing@test.local", "admin");
        var promoted = await app.Admin().PatchAsJsonAsync($"/api/v1/users/{id}", new { role = "viewer" });
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Equal("viewer", (await promoted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString());

        var disabled = await app.Admin().PatchAsJsonAsync($"/api/v1/users/{id}", new { disabled = true });
        Assert.True((await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disabled").GetBoolean());
        var again = await BatchMonitorApp.PostLoginAsync(app.Anonymous(), "changing@test.local", "changing-password-1");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode); // the form again: not signed in

        await (await app.Admin().PatchAsJsonAsync($"/api/v1/users/{id}", new { role = "owner" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Admin().DeleteAsync($"/api/v1/users/{id}")).StatusCode);
        await (await app.Admin().GetAsync($"/api/v1/users/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.Admin().DeleteAsync($"/api/v1/users/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.Admin().PatchAsJsonAsync($"/api/v1/users/{id}", new { disabled = false })).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_last_admin_can_be_neither_demoted_disabled_nor_removed_and_nobody_removes_themselves()
    {
        await using var fresh = new BatchMonitorApp();
        await fresh.InitializeAsync();
        var users = await fresh.Admin().GetFromJsonAsync<JsonElement[]>("/api/v1/users");
        var admin = users!.Single(u => u.GetProperty("email").GetString() == BatchMonitorApp.AdminEmail).GetProperty("id").GetString();

        var demote = await (await fresh.Admin().PatchAsJsonAsync($"/api/v1/users/{admin}", new { role = "viewer" })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("last admin", demote.GetProperty("detail").GetString());
        await (await fresh.Admin().PatchAsJsonAsync($"/api/v1/users/{admin}", new { disabled = true })).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await fresh.Admin().DeleteAsync($"/api/v1/users/{admin}")).AssertProblemAsync(HttpStatusCode.Conflict);

        // With a second admin, the first may be demoted by someone else, but nobody removes the account they act as.
        var second = await fresh.Admin().PostAsJsonAsync("/api/v1/users", new { email = "second@test.local", password = "second-password-1", role = "admin" });
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var self = await (await fresh.Admin().DeleteAsync($"/api/v1/users/{admin}")).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("yourself", self.GetProperty("detail").GetString());
        var secondAdmin = await fresh.SignedInAsync("second@test.local", "second-password-1");
        Assert.Equal(HttpStatusCode.OK, (await secondAdmin.PatchAsJsonAsync($"/api/v1/users/{admin}", new { role = "viewer" })).StatusCode);
    }

    [Fact]
    public async Task The_users_calls_are_in_the_openapi_document()
    {
        var document = JsonDocument.Parse(await app.Viewer().GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/v1/users").TryGetProperty("post", out var create));
        Assert.True(create.GetProperty("responses").TryGetProperty("201", out _));
        Assert.True(paths.GetProperty("/api/v1/users/{id}").TryGetProperty("patch", out _));
        Assert.True(paths.GetProperty("/api/v1/users/{id}").TryGetProperty("delete", out _));
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("CreateUserRequest", out _));
    }

    private async Task<string> CreateAsync(string email, string role)
    {
        var password = email.Split('@')[0] + "-password-1";
        var response = await app.Admin().PostAsJsonAsync("/api/v1/users", new { email, password, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static IReadOnlyList<string?> Messages(JsonElement problem, string field) =>
        problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()).ToList();
}
