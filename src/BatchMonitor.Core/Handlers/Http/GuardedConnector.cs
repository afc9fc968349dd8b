using System.Net;
using System.Net.Sockets;

namespace BatchMonitor.Core.Handlers.Http;

/// <summary>A destination the network policy refuses; the request is never sent.</summary>
public sealed class DestinationRefusedException(string message) : IOException(message);

/// <summary>
/// The connections of the <c>http</c> handler's client. Each one resolves its host, drops the addresses the
/// <see cref="NetworkPolicy"/> refuses and connects to the first allowed one that answers, so the check holds
/// after DNS resolution and for every redirect; no proxy is used (it would connect on our behalf, unchecked).
/// </summary>
public static class GuardedConnector
{
    public static SocketsHttpHandler CreateHandler(HttpHandlerOptions options)
    {
        var policy = new NetworkPolicy(options);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false, // HttpHandler follows redirects itself, same host only by default
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectCallback = (context, ct) => ConnectAsync(policy, context.DnsEndPoint, ct),
        };
    }

    /// <summary>Resolves the host and connects to an allowed address; throws <see cref="DestinationRefusedException"/> when none is.</summary>
    public static async ValueTask<Stream> ConnectAsync(NetworkPolicy policy, DnsEndPoint endPoint, CancellationToken ct)
    {
        var host = endPoint.Host.TrimStart('[').TrimEnd(']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = new List<IPAddress>(addresses.Length);
        string? refusal = null;
        foreach (var address in addresses)
        {
            if (policy.Refusal(address) is { } why) refusal ??= why;
            else allowed.Add(address);
        }
        if (allowed.Count == 0)
            throw new DestinationRefusedException(refusal is null ? $"{host} has no address."
                : literal is null ? $"{host} resolves to a refused address: {refusal}" : refusal);

        SocketException? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}
