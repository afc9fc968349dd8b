using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace BatchMonitor.Web.Security;

/// <summary>
/// Which proxies may say who the client is. <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> turns forwarded headers on
/// and, left alone, trusts them from anyone; here only the proxies of <c>BatchMonitor:ForwardedHeaders:KnownProxies</c>
/// (addresses) and <c>KnownNetworks</c> (CIDR ranges) are, loopback when neither is set. A request from any other
/// address keeps its own address and scheme, so the sign-in and wrong-key limits count the real sender.
/// </summary>
public static class TrustedProxies
{
    public const string Section = "BatchMonitor:ForwardedHeaders";

    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var proxies = Values(section.GetSection("KnownProxies")).Select(ParseAddress).ToList();
        var networks = Values(section.GetSection("KnownNetworks")).Select(ParseNetwork).ToList();
        if (proxies.Count == 0 && networks.Count == 0)
        {
            networks.Add(new IPNetwork(IPAddress.Loopback, 8));
            networks.Add(new IPNetwork(IPAddress.IPv6Loopback, 128));
        }
        // After the framework's own setup, which clears both lists when forwarded headers are enabled by configuration.
        services.PostConfigure<ForwardedHeadersOptions>(o =>
        {
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies) o.KnownProxies.Add(proxy);
            foreach (var network in networks) o.KnownIPNetworks.Add(network);
        });
        return services;
    }

    /// <summary>A list in configuration: array entries (<c>KnownProxies:0</c>) or one comma-separated value (handy in an environment variable).</summary>
    private static IEnumerable<string> Values(IConfigurationSection section) =>
        (section.Value is { Length: > 0 } single ? single.Split(',') : section.GetChildren().Select(c => c.Value ?? ""))
        .Select(v => v.Trim()).Where(v => v.Length > 0);

    private static IPAddress ParseAddress(string value) => IPAddress.TryParse(value, out var address)
        ? address
        : throw new InvalidOperationException($"{Section}:KnownProxies: '{value}' is not an IP address.");

    private static IPNetwork ParseNetwork(string value) => IPNetwork.TryParse(value, out var network)
        ? network
        : throw new InvalidOperationException($"{Section}:KnownNetworks: '{value}' is not a network in CIDR form (such as 10.0.0.0/8).");
}
