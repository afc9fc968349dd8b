using System.Net;
using System.Text.Json;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Security;

/// <summary>
/// What an anonymous caller learns, and what a forged <c>Host</c> header can do: /healthz says healthy and nothing
/// else; redirects are relative, so they never point at the host a request claimed; with <c>AllowedHosts</c> set, other
/// hosts are refused.
/// </summary>
public sealed class HostHeaderTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    [Fact]
    public async Task Healthz_says_healthy_and_nothing_else()
    {
        var response = await app.Anonymous().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["status"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("healthy", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_sign_in_redirects_do_not_echo_a_forged_host()
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Host = "evil.example";

        var toSignIn = await client.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        Assert.Equal("/login?returnUrl=%2Fadmin%2Fusers", toSignIn.Headers.Location!.OriginalString);

        var signedIn = await BatchMonitorApp.PostLoginAsync(client, BatchMonitorApp.AdminEmail, BatchMonitorApp.AdminPassword, "/batches");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/batches", signedIn.Headers.Location!.OriginalString);

        var viewer = await app.SignedInAsync(BatchMonitorApp.ViewerEmail, BatchMonitorApp.ViewerPassword);
        viewer.DefaultRequestHeaders.Host = "evil.example";
        var denied = await viewer.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/access-denied", denied.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task With_allowed_hosts_set_a_request_for_another_host_is_refused()
    {
        await using var pinned = BatchMonitorApp.With(new Dictionary<string, string?> { ["AllowedHosts"] = "localhost;batchmonitor.example" });
        await pinned.InitializeAsync();
        var forged = pinned.Anonymous();
        forged.DefaultRequestHeaders.Host = "evil.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await forged.GetAsync("/login")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pinned.Anonymous().GetAsync("/login")).StatusCode);
    }
}
