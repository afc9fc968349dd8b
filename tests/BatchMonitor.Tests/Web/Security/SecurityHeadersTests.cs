using System.Net;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Security;

/// <summary>Every answer (pages, API, errors, files) carries the content security policy and the browser hardening headers.</summary>
public sealed class SecurityHeadersTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    public static TheoryData<string> Paths => ["/", "/login", "/batches", "/api/v1/batches", "/api/v1/no-such-thing", "/healthz", "/app.js", "/openapi/v1.json", "/no-such-page"];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Every_response_forbids_sniffing_framing_foreign_scripts_and_leaking_the_referrer(string path)
    {
        var client = await app.SignedInAsync(BatchMonitorApp.AdminEmail, BatchMonitorApp.AdminPassword);
        var response = await client.GetAsync(path);

        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Single(response, "Referrer-Policy"));
        Assert.Equal("SAMEORIGIN", Single(response, "X-Frame-Options"));
        var policy = Directives(Single(response, "Content-Security-Policy"));
        Assert.Equal(["'self'"], policy["default-src"]);
        Assert.Equal(["'self'"], policy["script-src"]);
        Assert.Equal(["'self'"], policy["frame-ancestors"]);
        Assert.Equal(["'none'"], policy["object-src"]);
        Assert.Equal(["'self'"], policy["base-uri"]);
        Assert.Equal(["'self'"], policy["form-action"]);
    }

    [Fact]
    public async Task An_anonymous_redirect_carries_the_headers_too()
    {
        var response = await app.Anonymous().GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Contains("default-src 'self'", Single(response, "Content-Security-Policy"));
    }

    private static string Single(HttpResponseMessage response, string name)
    {
        var values = response.Headers.TryGetValues(name, out var h) ? h.ToList()
            : response.Content.Headers.TryGetValues(name, out var c) ? c.ToList() : [];
        Assert.True(values.Count == 1, $"{name}: expected one value on {response.RequestMessage?.RequestUri}, got [{string.Join(" | ", values)}]");
        return values[0];
    }

    private static Dictionary<string, string[]> Directives(string policy) => policy
        .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .ToDictionary(d => d[0], d => d[1..]);
}
