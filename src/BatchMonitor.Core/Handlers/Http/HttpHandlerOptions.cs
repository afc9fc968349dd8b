namespace BatchMonitor.Core.Handlers.Http;

/// <summary>
/// <c>BatchMonitor:Http</c> settings: how much of a response the <c>http</c> handler reads, which redirects it
/// follows, and which networks it may call. Cloud metadata and other link-local addresses, 0.0.0.0 and multicast
/// are refused whatever these say.
/// </summary>
public sealed class HttpHandlerOptions
{
    public const int DefaultMaxResponseBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Most bytes of a response body read to extract <c>resultPath</c>; a larger response fails the item
    /// (a prefix of a JSON document cannot be read). Without <c>resultPath</c> the body is not read at all.
    /// </summary>
    public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>Most redirects followed for one request.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>
    /// Whether a redirect to another host is followed (without the batch's headers). Off: the item fails with the
    /// address it was sent to. A redirect to the same host (and port) is always followed.
    /// </summary>
    public bool AllowRedirectsToOtherHosts { get; set; }

    /// <summary>Whether 127.0.0.0/8 and ::1 may be called. On, so a fresh local install can call a local service.</summary>
    public bool AllowLoopback { get; set; } = true;

    /// <summary>
    /// Whether private networks may be called: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 and fc00::/7.
    /// On, so a service on the local network can be called; turn it off where the server sits next to things
    /// batch authors must not reach.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; } = true;
}
