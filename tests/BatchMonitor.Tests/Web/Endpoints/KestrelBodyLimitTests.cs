using System.Net;
using System.Net.Http.Headers;
using BatchMonitor.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>On the real server (Kestrel, a real port): a 200 MB body is refused with 413 before the client sends it.</summary>
public sealed class KestrelBodyLimitTests
{
    [Fact]
    public async Task A_200_MB_batch_is_refused_with_413_without_being_read()
    {
        await using var app = new BatchMonitorApp();
        app.UseKestrel(0);
        app.StartServer();
        await app.InitializeAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        // The client holds the body back until the server answers the 100-continue; on a busy machine that answer can
        // take longer than the default second, and a body sent meanwhile ends in a broken pipe instead of the 413.
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) })
        {
            BaseAddress = new Uri(address),
        };
        client.DefaultRequestHeaders.Add("X-Api-Key", BatchMonitorApp.AdminKey);

        var body = new CountingContent(200L * 1024 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/batches") { Content = body };
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.True(body.Sent < 1024 * 1024, $"{body.Sent:N0} bytes went out");
        Assert.Equal((0, 0), await app.CountStoredAsync());
    }

    private sealed class CountingContent : HttpContent
    {
        private readonly long _length;
        private long _sent;

        public CountingContent(long length)
        {
            _length = length;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        public long Sent => Interlocked.Read(ref _sent);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)' ');
            for (long sent = 0; sent < _length; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk);
                Interlocked.Add(ref _sent, chunk.Length);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }
    }
}
