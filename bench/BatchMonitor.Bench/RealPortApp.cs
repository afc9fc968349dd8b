extern alias web;

using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Bench;

/// <summary>The whole app on a real Kestrel port (what browsers and HttpClient measure against), started by the subclass.</summary>
internal abstract class RealPortApp : WebApplicationFactory<web::Program>
{
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts the server; a subclass calls it last in its constructor, once what its configuration reads is set.</summary>
    protected void Start()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
    }
}
