using System.Net;
using System.Net.Http.Json;
using System.Text;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Security;

/// <summary>
/// A signed-in browser's cookie cannot be used by another site (another port of the same host included) to change
/// something through the API: changes with the cookie must come from this origin and never as a form. API keys are
/// sent by scripts in a header, which no other site can add, so they are not asked.
/// </summary>
public sealed class CrossSiteRequestTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    [Theory]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "http://localhost:5001")]
    [InlineData("Origin", "null")]
    [InlineData("Referer", "http://evil.example/attack.html")]
    [InlineData("Referer", "http://localhost:8080/")]
    public async Task A_cookie_request_from_another_origin_cannot_steer_a_batch(string header, string value)
    {
        var admin = await app.SignedInAsync(BatchMonitorApp.AdminEmail, BatchMonitorApp.AdminPassword);
        var running = await RunningAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/batches/{running}/pause");
        request.Headers.TryAddWithoutValidation(header, value);

        var problem = await (await admin.SendAsync(request)).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Contains("origin", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("running", Core.Domain.StatusNames.Name((await app.WaitForStatusAsync(running, "running")).Status));
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().PostAsync($"/api/v1/batches/{running}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task A_form_posted_with_the_cookie_cannot_clone_a_batch_even_without_origin_or_referer()
    {
        var admin = await app.SignedInAsync(BatchMonitorApp.AdminEmail, BatchMonitorApp.AdminPassword);
        var finished = await FinishedAsync();
        var before = await app.CountStoredAsync();

        foreach (var form in new HttpContent[]
                 {
                     new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }),
                     new MultipartFormDataContent { { new StringContent("1"), "x" } },
                     new StringContent("x=1", Encoding.UTF8, "text/plain"),
                 })
        {
            await (await admin.PostAsync($"/api/v1/batches/{finished}/clone", form)).AssertProblemAsync(HttpStatusCode.Forbidden);
        }
        Assert.Equal(before, await app.CountStoredAsync());
    }

    [Fact]
    public async Task A_cross_site_text_plain_post_of_json_cannot_create_a_batch()
    {
        var admin = await app.SignedInAsync(BatchMonitorApp.AdminEmail, BatchMonitorApp.AdminPassword);
        var before = await app.CountStoredAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/batches")
        {
            Content = new StringContent("{\"handler\":\"demo\",\"items\":[\"a\"]}", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("Origin", "http://localhost:5001");

        await (await admin.SendAsync(request)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(before, await app.CountStoredAsync());
    }

    [Theory]
    [InlineData("/hubs/batches/negotiate?negotiateVersion=1")]
    [InlineData("/_blazor/negotiate?negotiateVersion=1")]
    public async Task Another_origin_cannot_open_a_live_connection_with_the_cookie(string negotiate)
    {
        var admin = await app.SignedInAsync(BatchMonitorApp.AdminEmail, BatchMonitorApp.AdminPassword);

        using var foreign = new HttpRequestMessage(HttpMethod.Post, negotiate);
        foreign.Headers.Add("Origin", "http://localhost:5001");
        await (await admin.SendAsync(foreign)).AssertProblemAsync(HttpStatusCode.Forbidden);

        using var upgrade = new HttpRequestMessage(HttpMethod.Get, negotiate.Replace("/negotiate", ""));
        upgrade.Headers.Add("Origin", "http://evil.example");
        upgrade.Headers.Add("Connection", "Upgrade");
        upgrade.Headers.Add("Upgrade", "websocket");
        await (await admin.SendAsync(upgrade)).AssertProblemAsync(HttpStatusCode.Forbidden);

        using var own = new HttpRequestMessage(HttpMethod.Post, negotiate);
        own.Headers.Add("Origin", "http://localhost");
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(own)).StatusCode);
    }

    [Fact]
    public async Task The_app_s_own_origin_and_scripts_with_a_key_are_not_affected()
    {
        var admin = await app.SignedInAsync(BatchMonitorApp.AdminEmail, BatchMonitorApp.AdminPassword);
        var finished = await FinishedAsync();

        using var sameOrigin = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/batches/{finished}/clone");
        sameOrigin.Headers.Add("Origin", "http://localhost");
        Assert.Equal(HttpStatusCode.Accepted, (await admin.SendAsync(sameOrigin)).StatusCode);

        using var sameReferer = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/batches/{finished}/clone");
        sameReferer.Headers.Referrer = new Uri("http://localhost/batches");
        Assert.Equal(HttpStatusCode.Accepted, (await admin.SendAsync(sameReferer)).StatusCode);

        // A script with its cookie (no browser, no origin) sending JSON.
        var json = await admin.PostAsJsonAsync("/api/v1/batches", new { handler = "demo", items = new[] { "a" } });
        Assert.Equal(HttpStatusCode.Accepted, json.StatusCode);

        using var withKey = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/batches/{finished}/clone");
        withKey.Headers.Add("Origin", "http://evil.example");
        Assert.Equal(HttpStatusCode.Accepted, (await app.Admin().SendAsync(withKey)).StatusCode);

        // Reading is never refused.
        using var read = new HttpRequestMessage(HttpMethod.Get, "/api/v1/batches");
        read.Headers.Add("Origin", "http://evil.example");
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(read)).StatusCode);
    }

    private async Task<Guid> RunningAsync()
    {
        var batch = await app.CreateBatchAsync(new { handler = "gate", items = new[] { "waits" } });
        await app.WaitForStatusAsync(batch.Id, "running");
        return batch.Id;
    }

    private async Task<Guid> FinishedAsync()
    {
        var batch = await app.CreateBatchAsync(new { handler = "demo", items = new[] { "a" }, args = new { minMs = 0, maxMs = 0, failureRate = 0 } });
        await app.WaitForStatusAsync(batch.Id, "completed");
        return batch.Id;
    }
}
