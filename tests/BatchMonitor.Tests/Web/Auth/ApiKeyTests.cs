using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Auth.ApiKeys;
using BatchMonitor.Web.Auth.Users;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Web.Auth;

/// <summary>API keys: shown once, stored as hashes, revocable at once, never more than their owner, never logged.</summary>
public sealed class ApiKeyTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    [Fact]
    public async Task A_created_key_is_shown_once_and_the_database_holds_only_its_hash()
    {
        var response = await app.Admin().PostAsJsonAsync("/api/v1/api-keys", new { name = "nightly import", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var key = created.GetProperty("key").GetString()!;
        Assert.StartsWith("bm_", key);
        Assert.Equal("viewer", created.GetProperty("info").GetProperty("role").GetString());
        Assert.Equal("key 'bootstrap'", created.GetProperty("info").GetProperty("createdBy").GetString());

        var list = await app.Admin().GetStringAsync("/api/v1/api-keys");
        Assert.Contains("nightly import", list);
        Assert.DoesNotContain(key, list);
        Assert.DoesNotContain(BatchMonitorApp.AdminKey, list);

        await using (var db = await app.AuthDbAsync())
        {
            var stored = await db.ApiKeys.SingleAsync(k => k.Name == "nightly import");
            Assert.Equal(ApiKeyFormat.Hash(key), stored.Hash);
        }
        // No table, column or page of the database file (or its write-ahead log) holds a key in clear.
        SqliteConnection.ClearAllPools();
        foreach (var secret in new[] { key, BatchMonitorApp.AdminKey, app.ViewerKey })
        {
            foreach (var file in new[] { app.DatabasePath, app.DatabasePath + "-wal" }.Where(File.Exists))
            {
                var bytes = await ReadSharedAsync(file);
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{Path.GetFileName(file)} holds a key in clear");
            }
        }
        Assert.Equal(HttpStatusCode.OK, (await app.WithKey(key).GetAsync("/api/v1/batches")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_gets_401_at_once()
    {
        var created = await (await app.Admin().PostAsJsonAsync("/api/v1/api-keys", new { name = "to be revoked" })).Content.ReadFromJsonAsync<JsonElement>();
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("info").GetProperty("id").GetGuid();
        using var script = app.WithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/v1/batches")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await app.Admin().DeleteAsync($"/api/v1/api-keys/{id}")).StatusCode);

        var problem = await (await script.GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem.GetProperty("detail").GetString());
        await (await script.PostAsJsonAsync("/api/v1/batches", new { handler = "demo", items = new[] { "a" } })).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var keys = await app.Admin().GetFromJsonAsync<JsonElement[]>("/api/v1/api-keys");
        var listed = keys!.Single(k => k.GetProperty("id").GetGuid() == id);
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("revokedAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("lastUsedAt").ValueKind);
    }

    [Fact]
    public async Task A_key_acts_with_no_more_than_its_owner_and_stops_when_the_owner_is_disabled()
    {
        var users = app.Services.GetRequiredService<UserDirectory>();
        Assert.True((await users.CreateAsync("owner@test.local", "owner-password-1", Roles.Admin)).IsValid);
        var owner = (await users.ListAsync()).Single(u => u.Email == "owner@test.local");
        var key = (await app.Services.GetRequiredService<ApiKeyService>().CreateAsync("owner's script", Roles.Admin, owner.Id, owner.Email)).Key;
        using var script = app.WithKey(key);
        var batch = new { handler = "demo", items = new[] { "a" }, args = new { minMs = 0, maxMs = 0 } };

        var created = await script.PostAsJsonAsync("/api/v1/batches", batch);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        Assert.Equal("owner's script", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("createdBy").GetString());

        Assert.Null(await users.SetRoleAsync(owner.Id, Roles.Viewer, null));
        await (await script.PostAsJsonAsync("/api/v1/batches", batch)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/v1/batches")).StatusCode);

        Assert.Null(await users.SetDisabledAsync(owner.Id, true, null));
        await (await script.GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_change_written_to_the_database_by_another_node_counts_from_the_next_request()
    {
        var users = app.Services.GetRequiredService<UserDirectory>();
        Assert.True((await users.CreateAsync("elsewhere@test.local", "elsewhere-password-1", Roles.Admin)).IsValid);
        var owner = (await users.ListAsync()).Single(u => u.Email == "elsewhere@test.local");
        var keys = app.Services.GetRequiredService<ApiKeyService>();
        using var revoked = app.WithKey((await keys.CreateAsync("revoked elsewhere", Roles.Admin, owner.Id, owner.Email)).Key);
        using var demoted = app.WithKey((await keys.CreateAsync("demoted elsewhere", Roles.Admin, owner.Id, owner.Email)).Key);
        var batch = new { handler = "demo", items = new[] { "a" }, args = new { minMs = 0, maxMs = 0 } };
        // Both keys have been checked on this node, twice each.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await revoked.GetAsync("/api/v1/batches")).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await demoted.PostAsJsonAsync("/api/v1/batches", batch)).StatusCode);
        }

        async Task ElsewhereAsync(string sql)
        {
            await using var db = await app.AuthDbAsync();
            await db.Database.ExecuteSqlRawAsync(sql, owner.Id);
        }

        await ElsewhereAsync("UPDATE auth_api_keys SET revoked_at = '2026-12-02 00:00:00' WHERE name = 'revoked elsewhere' AND user_id = {0}");
        await (await revoked.GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Accepted, (await demoted.PostAsJsonAsync("/api/v1/batches", batch)).StatusCode);

        await ElsewhereAsync("""
            DELETE FROM auth_user_roles WHERE user_id = {0};
            INSERT INTO auth_user_roles (user_id, role_id) SELECT {0}, id FROM auth_roles WHERE name = 'viewer';
            """);
        await (await demoted.PostAsJsonAsync("/api/v1/batches", batch)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await demoted.GetAsync("/api/v1/batches")).StatusCode);

        await ElsewhereAsync("UPDATE auth_users SET disabled = 1 WHERE id = {0}");
        await (await demoted.GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Wrong_keys_are_refused_with_401_and_an_address_that_keeps_trying_gets_429()
    {
        await using var limited = BatchMonitorApp.With(new Dictionary<string, string?> { ["BatchMonitor:Auth:ApiKeyFailuresPerMinute"] = "3" });
        await limited.InitializeAsync();
        using var guesser = limited.WithKey("bm_wrong-wrong-wrong-wrong-wrong");
        for (var i = 0; i < 3; i++) await (await guesser.GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.Unauthorized);

        var refused = await guesser.GetAsync("/api/v1/batches");
        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // Requests without a key are not counted, and a browser session is not affected.
        await (await limited.Anonymous().GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Behind_a_proxy_with_forwarded_headers_on_each_client_address_has_its_own_limit(bool forwarded)
    {
        await using var limited = BatchMonitorApp.With(new Dictionary<string, string?>
        {
            ["BatchMonitor:Auth:ApiKeyFailuresPerMinute"] = "2",
            ["ForwardedHeaders_Enabled"] = forwarded ? "true" : null,
        });
        await limited.InitializeAsync();
        using var guesser = limited.WithKey("bm_wrong-wrong-wrong-wrong-wrong");
        guesser.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        for (var i = 0; i < 2; i++) await (await guesser.GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await guesser.GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.TooManyRequests);

        // Another user behind the same proxy mistypes their key once.
        using var neighbour = limited.WithKey("bm_typo-typo-typo-typo-typo-typo");
        neighbour.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.23");
        await (await neighbour.GetAsync("/api/v1/batches")).AssertProblemAsync(forwarded ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task No_key_or_password_ever_appears_in_the_logs()
    {
        var created = await (await app.Admin().PostAsJsonAsync("/api/v1/api-keys", new { name = "logged?" })).Content.ReadFromJsonAsync<JsonElement>();
        var key = created.GetProperty("key").GetString()!;
        await app.WithKey(key).GetAsync("/api/v1/batches");
        await app.WithKey(key + "x").GetAsync("/api/v1/batches");
        await BatchMonitorApp.PostLoginAsync(app.Anonymous(), BatchMonitorApp.ViewerEmail, "a-wrong-password-123");
        await app.SignedInAsync(BatchMonitorApp.ViewerEmail, BatchMonitorApp.ViewerPassword);

        Assert.NotEmpty(app.Logs.Lines);
        foreach (var secret in new[] { key, BatchMonitorApp.AdminKey, app.ViewerKey, BatchMonitorApp.AdminPassword, BatchMonitorApp.ViewerPassword, "a-wrong-password-123" })
            Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy);
        return copy.ToArray();
    }
}
