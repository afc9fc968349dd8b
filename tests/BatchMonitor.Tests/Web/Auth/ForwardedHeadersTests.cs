using System.Net;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Auth;

/// <summary>
/// With forwarded headers on, only a configured proxy (loopback unless configured) may say who the client is: anyone
/// else sending <c>X-Forwarded-For</c> is still counted under their own address by the sign-in and wrong-key limits.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string WrongKey = "bm_wrong-wrong-wrong-wrong-wrong";

    [Fact]
    public async Task A_client_that_is_not_a_trusted_proxy_cannot_escape_the_wrong_key_limit_by_rotating_x_forwarded_for()
    {
        await using var app = BatchMonitorApp.With(new Dictionary<string, string?>
        {
            ["BatchMonitor:Auth:ApiKeyFailuresPerMinute"] = "2",
            ["ForwardedHeaders_Enabled"] = "true",
        });
        await app.InitializeAsync();
        using var guesser = app.From("192.0.2.50");
        for (var i = 0; i < 2; i++) await (await SendAsync(guesser, $"203.0.113.{i + 1}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await SendAsync(guesser, "203.0.113.99")).AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task A_configured_proxy_is_trusted_and_other_addresses_are_not()
    {
        await using var app = BatchMonitorApp.With(new Dictionary<string, string?>
        {
            ["BatchMonitor:Auth:ApiKeyFailuresPerMinute"] = "2",
            ["ForwardedHeaders_Enabled"] = "true",
            ["BatchMonitor:ForwardedHeaders:KnownProxies"] = "10.1.2.3",
            ["BatchMonitor:ForwardedHeaders:KnownNetworks:0"] = "172.16.0.0/12",
        });
        await app.InitializeAsync();

        // Through the configured proxy and network, each forwarded client has a limit of its own.
        foreach (var proxy in new[] { "10.1.2.3", "172.20.0.9" })
        {
            using var behindProxy = app.From(proxy);
            for (var i = 0; i < 3; i++)
                await (await SendAsync(behindProxy, $"198.51.100.{i + 1}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        // Loopback is no longer trusted once proxies are configured, nor is any other address.
        foreach (var stranger in new[] { "127.0.0.1", "192.0.2.50" })
        {
            using var client = app.From(stranger);
            for (var i = 0; i < 2; i++) await (await SendAsync(client, $"203.0.113.{i + 1}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
            await (await SendAsync(client, "203.0.113.99")).AssertProblemAsync(HttpStatusCode.TooManyRequests);
        }
    }

    [Fact]
    public async Task A_rotating_x_forwarded_for_does_not_escape_the_sign_in_limit_either()
    {
        await using var app = BatchMonitorApp.With(new Dictionary<string, string?>
        {
            ["BatchMonitor:Auth:SignInAttemptsPerMinute"] = "2",
            ["ForwardedHeaders_Enabled"] = "true",
        });
        await app.InitializeAsync();
        using var guesser = app.From("192.0.2.50");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            guesser.DefaultRequestHeaders.Remove("X-Forwarded-For");
            guesser.DefaultRequestHeaders.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            statuses.Add((await BatchMonitorApp.PostLoginAsync(guesser, "nobody@test.local", "a-guess-at-it-" + i)).StatusCode);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/batches");
        request.Headers.Add("X-Api-Key", WrongKey);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }
}
