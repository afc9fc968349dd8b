using System.Net;
using BatchMonitor.Core.Handlers.Http;

namespace BatchMonitor.Tests.Handlers;

/// <summary>Which addresses the http handler may call, judged on the address (after resolution), not the URL text.</summary>
public sealed class NetworkPolicyTests
{
    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::169.254.169.254")]
    [InlineData("64:ff9b::169.254.169.254")]
    [InlineData("fe80::1")]
    [InlineData("febf::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("::")]
    [InlineData("::ffff:0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("255.255.255.255")]
    [InlineData("ff02::1")]
    public void Metadata_link_local_unspecified_and_multicast_addresses_are_refused_whatever_the_settings(string address)
    {
        var policy = new NetworkPolicy(new HttpHandlerOptions { AllowLoopback = true, AllowPrivateNetworks = true });

        Assert.Contains("never called", policy.Refusal(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.10.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Loopback_is_allowed_by_default_and_refused_when_AllowLoopback_is_off(string address)
    {
        var ip = IPAddress.Parse(address);

        Assert.Null(new NetworkPolicy(new HttpHandlerOptions()).Refusal(ip));
        Assert.Contains("AllowLoopback is off", new NetworkPolicy(new HttpHandlerOptions { AllowLoopback = false }).Refusal(ip));
        Assert.Null(new NetworkPolicy(new HttpHandlerOptions { AllowPrivateNetworks = false }).Refusal(ip));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fc00::1")]
    public void Private_networks_are_allowed_by_default_and_refused_when_AllowPrivateNetworks_is_off(string address)
    {
        var ip = IPAddress.Parse(address);

        Assert.Null(new NetworkPolicy(new HttpHandlerOptions()).Refusal(ip));
        Assert.Contains("AllowPrivateNetworks is off", new NetworkPolicy(new HttpHandlerOptions { AllowPrivateNetworks = false }).Refusal(ip));
        Assert.Null(new NetworkPolicy(new HttpHandlerOptions { AllowLoopback = false }).Refusal(ip));
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:2800:21f:cb07:6820:80da:af6b:8b2c")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_addresses_are_allowed_even_with_loopback_and_private_networks_off(string address)
    {
        var policy = new NetworkPolicy(new HttpHandlerOptions { AllowLoopback = false, AllowPrivateNetworks = false });

        Assert.Null(policy.Refusal(IPAddress.Parse(address)));
    }

    [Fact]
    public async Task The_connector_refuses_a_metadata_address_before_connecting()
    {
        var policy = new NetworkPolicy(new HttpHandlerOptions());

        var refused = await Assert.ThrowsAsync<DestinationRefusedException>(async () =>
            await GuardedConnector.ConnectAsync(policy, new DnsEndPoint("169.254.169.254", 80), CancellationToken.None));

        Assert.StartsWith("169.254.169.254 is a link-local address", refused.Message);
    }

    [Fact]
    public async Task The_connector_judges_the_addresses_a_name_resolves_to()
    {
        var policy = new NetworkPolicy(new HttpHandlerOptions { AllowLoopback = false });

        var refused = await Assert.ThrowsAsync<DestinationRefusedException>(async () =>
            await GuardedConnector.ConnectAsync(policy, new DnsEndPoint("localhost", 80), CancellationToken.None));

        Assert.StartsWith("localhost resolves to a refused address:", refused.Message);
        Assert.Contains("AllowLoopback is off", refused.Message);
    }
}
