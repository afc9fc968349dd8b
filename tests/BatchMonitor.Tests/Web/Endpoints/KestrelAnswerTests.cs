using System.Net;
using System.Net.Sockets;
using System.Text;
using BatchMonitor.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>The whole app on a real port, with a body rate limit that gives up on a stalled body after about 1.5 s.</summary>
public sealed class KestrelApp : BatchMonitorApp
{
    public Uri Address { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        UseKestrel(0);
        StartServer();
        await base.InitializeAsync();
        Address = new Uri(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.Configure<KestrelServerOptions>(o =>
            o.Limits.MinRequestBodyDataRate = new MinDataRate(1024, TimeSpan.FromSeconds(1.5))));
    }
}

/// <summary>
/// On the real server (Kestrel), what the framework answers once the app runs is problem+json with a detail, a body
/// that stops arriving (408) included. What Kestrel refuses before the app runs (headers over its limit, a NUL in the
/// path, a malformed request line, Content-Length or Transfer-Encoding) it answers itself with a bare status: no app
/// code can give those a body.
/// </summary>
public sealed class KestrelAnswerTests(KestrelApp app) : IClassFixture<KestrelApp>
{
    [Theory]
    [InlineData("POST", "/api/v1/batches", """{"handler":"demo","items":[""", "application/json", 400)]
    [InlineData("PUT", "/api/v1/batches", "{}", "application/json", 405)]
    [InlineData("GET", "/api/v1/nothing-here", null, null, 404)]
    [InlineData("POST", "/api/v1/batches", """{"handler":"demo","items":["a"]}""", "application/json; charset=bogus", 415)]
    [InlineData("GET", "/hubs/batches/negotiate", null, null, 405)]
    public async Task A_framework_answer_is_a_problem_with_a_detail(string method, string path, string? body, string? contentType, int status)
    {
        using var client = new HttpClient { BaseAddress = app.Address };
        client.DefaultRequestHeaders.Add("X-Api-Key", BatchMonitorApp.AdminKey);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        using var response = await client.SendAsync(request);

        var problem = await response.AssertProblemAsync((HttpStatusCode)status);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), problem.ToString());
        Assert.Equal((0, 0), await app.CountStoredAsync());
    }

    [Fact]
    public async Task A_body_that_stops_arriving_is_a_408_problem()
    {
        // A raw connection: HttpClient shows no answer while it is still sending the body.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(app.Address.Host, app.Address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /api/v1/batches HTTP/1.1\r\nHost: {app.Address.Authority}\r\nX-Api-Key: {BatchMonitorApp.AdminKey}\r\n" +
            "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"handler\":"));

        var answer = await Wait.ForAsync(ReadAnswerAsync(stream), "the server to give up on the body");

        Assert.StartsWith("HTTP/1.1 408 ", answer);
        Assert.Contains("Content-Type: application/problem+json", answer);
        Assert.Contains("\"status\":408", answer);
        Assert.Contains("\"detail\":", answer);
        Assert.Equal((0, 0), await app.CountStoredAsync());
    }

    /// <summary>Reads the answer up to the end of its (chunked) body, or until the server closes the connection.</summary>
    private static async Task<string> ReadAnswerAsync(NetworkStream stream)
    {
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        while (!answer.ToString().EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0) break;
            answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        return answer.ToString();
    }
}
