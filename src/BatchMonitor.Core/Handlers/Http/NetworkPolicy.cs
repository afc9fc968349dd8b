using System.Net;
using System.Net.Sockets;

namespace BatchMonitor.Core.Handlers.Http;

/// <summary>
/// Which addresses the <c>http</c> handler may connect to. It judges addresses, not URL text: every connection
/// (redirects too) resolves its host and connects only to an address this allows, so a name that resolves, or
/// later re-resolves, to a refused address is refused as well.
/// <list type="bullet">
/// <item>Never: link-local 169.254.0.0/16 and fe80::/10 (where cloud metadata services answer, with fd00:ec2::254),
/// 0.0.0.0/8 and :: (which reach the server itself), multicast, broadcast and 240.0.0.0/4.</item>
/// <item>Loopback (127.0.0.0/8, ::1) only with <see cref="HttpHandlerOptions.AllowLoopback"/>.</item>
/// <item>Private networks (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, fec0::/10) only with
/// <see cref="HttpHandlerOptions.AllowPrivateNetworks"/>.</item>
/// </list>
/// IPv4 addresses written as IPv6 (::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d) are judged as the IPv4 address they carry.
/// </summary>
public sealed class NetworkPolicy(HttpHandlerOptions options)
{
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    /// <summary>Why the address may not be called, or null when it may.</summary>
    public string? Refusal(IPAddress address)
    {
        var judged = Embedded(address) ?? address;
        return Classify(judged) switch
        {
            Kind.Public => null,
            Kind.Loopback when options.AllowLoopback => null,
            Kind.Private when options.AllowPrivateNetworks => null,
            Kind.Loopback => $"{address} is a loopback address and BatchMonitor:Http:AllowLoopback is off.",
            Kind.Private => $"{address} is on a private network and BatchMonitor:Http:AllowPrivateNetworks is off.",
            Kind.LinkLocal => $"{address} is a link-local address (where cloud metadata services answer); it is never called.",
            Kind.Metadata => $"{address} is a cloud metadata address; it is never called.",
            Kind.Unspecified => $"{address} is not a destination (it reaches this server itself); it is never called.",
            _ => $"{address} is a multicast, broadcast or reserved address; it is never called.",
        };
    }

    private enum Kind { Public, Loopback, Private, LinkLocal, Metadata, Unspecified, NotUnicast }

    /// <summary>The IPv4 address an IPv6 address carries (mapped, compatible or NAT64), if any.</summary>
    private static IPAddress? Embedded(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return null;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        var b = address.GetAddressBytes();
        var compatible = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && b.AsSpan(12).IndexOfAnyExcept((byte)0) >= 0
                         && !address.Equals(IPAddress.IPv6Loopback);
        var nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;
        return compatible || nat64 ? new IPAddress(b.AsSpan(12)) : null;
    }

    private static Kind Classify(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return b[0] switch
            {
                0 => Kind.Unspecified,
                127 => Kind.Loopback,
                10 => Kind.Private,
                169 when b[1] == 254 => Kind.LinkLocal,
                172 when b[1] is >= 16 and <= 31 => Kind.Private,
                192 when b[1] == 168 => Kind.Private,
                100 when b[1] is >= 64 and <= 127 => Kind.Private,
                >= 224 => Kind.NotUnicast,
                _ => Kind.Public,
            };
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return Kind.NotUnicast;
        if (address.Equals(IPAddress.IPv6Any)) return Kind.Unspecified;
        if (address.Equals(IPAddress.IPv6Loopback)) return Kind.Loopback;
        if (new IPAddress(b).Equals(AwsMetadataV6)) return Kind.Metadata;
        return b[0] switch
        {
            0xff => Kind.NotUnicast,
            0xfe when (b[1] & 0xc0) == 0x80 => Kind.LinkLocal,
            0xfe when (b[1] & 0xc0) == 0xc0 => Kind.Private,
            0xfc or 0xfd => Kind.Private,
            _ => Kind.Public,
        };
    }
}
