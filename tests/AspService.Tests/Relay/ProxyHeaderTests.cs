using System.Net;
using System.Text;
using AspService.Server.Relay;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AspService.Tests.Relay;

/// <summary>The PROXY protocol v2 parser (pure) and the gate that decides whom to believe.</summary>
public sealed class ProxyHeaderTests
{
    private static readonly IPEndPoint Client4 = new(IPAddress.Parse("203.0.113.7"), 51234);
    private static readonly IPEndPoint Lb4 = new(IPAddress.Parse("10.1.2.3"), 443);

    [Fact]
    public void IPv4Proxy_GivesBothAddressesAndTheLengthIncludingTlvs()
    {
        var header = ProxyV2.Proxy(Client4, Lb4, tlvBytes: 7);
        var parsed = ProxyHeader.Parse([.. header, 0x16, 0x03, 0x01]);
        Assert.Equal(ProxyHeaderStatus.Proxied, parsed.Status);
        Assert.Equal(16 + 12 + 7, parsed.Length);
        Assert.Equal(Client4, parsed.Source);
        Assert.Equal(Lb4, parsed.Destination);
    }

    [Fact]
    public void IPv6Proxy_GivesBothAddresses()
    {
        var source = new IPEndPoint(IPAddress.Parse("2001:db8::42"), 60000);
        var destination = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 443);
        var parsed = ProxyHeader.Parse(ProxyV2.Proxy(source, destination));
        Assert.Equal(ProxyHeaderStatus.Proxied, parsed.Status);
        Assert.Equal(16 + 36, parsed.Length);
        Assert.Equal(source, parsed.Source);
        Assert.Equal(destination, parsed.Destination);
    }

    [Fact]
    public void Local_AndProxyWithUnspecifiedFamily_AreTheProxysOwnConnection()
    {
        var local = ProxyHeader.Parse(ProxyV2.Local());
        Assert.Equal((ProxyHeaderStatus.Local, 16, (IPEndPoint?)null), (local.Status, local.Length, local.Source));
        // LOCAL with an address block: the addresses are skipped, not believed.
        var localWithBody = ProxyV2.Proxy(Client4, Lb4);
        localWithBody[12] = 0x20;
        Assert.Equal((ProxyHeaderStatus.Local, 28), (ProxyHeader.Parse(localWithBody).Status, ProxyHeader.Parse(localWithBody).Length));
        Assert.Equal(ProxyHeaderStatus.Local, ProxyHeader.Parse(ProxyV2.Fixed(0x21, 0x00, 0)).Status);
    }

    [Fact]
    public void EveryTruncation_OfAValidHeader_AsksForMoreBytes()
    {
        foreach (var header in new[] { ProxyV2.Proxy(Client4, Lb4, tlvBytes: 3), ProxyV2.Proxy(new IPEndPoint(IPAddress.IPv6Loopback, 1), new IPEndPoint(IPAddress.IPv6Loopback, 2)) })
        {
            for (var length = 0; length < header.Length; length++)
            {
                Assert.Equal(ProxyHeaderStatus.Incomplete, ProxyHeader.Parse(header.AsSpan(0, length)).Status);
            }

            Assert.Equal(ProxyHeaderStatus.Proxied, ProxyHeader.Parse(header).Status);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00 })] // a TLS ClientHello
    [InlineData(new byte[] { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0B, 0x21, 0x11, 0x00, 0x0C })] // last signature byte wrong
    [InlineData(new byte[] { 0x0D, 0x0A, 0x0E })]
    [InlineData(new byte[] { (byte)'G', (byte)'E', (byte)'T' })]
    [InlineData(new byte[] { (byte)'P', (byte)'R', (byte)'X' })]
    public void WrongSignature_IsNoHeader(byte[] start) => Assert.Equal(ProxyHeaderStatus.Absent, ProxyHeader.Parse(start).Status);

    [Theory]
    [InlineData(0x11, 0x11, 12)] // version 1 in the binary form
    [InlineData(0x31, 0x11, 12)] // version 3
    [InlineData(0x22, 0x11, 12)] // command 2
    [InlineData(0x21, 0x12, 12)] // UDP over IPv4
    [InlineData(0x21, 0x22, 36)] // UDP over IPv6
    [InlineData(0x21, 0x31, 216)] // UNIX stream
    [InlineData(0x21, 0x41, 12)] // unknown family
    [InlineData(0x21, 0x11, 4)] // IPv4 with a body too short for its addresses
    [InlineData(0x21, 0x21, 12)] // IPv6 with a body too short for its addresses
    [InlineData(0x21, 0x10, 12)] // IPv4, unspecified transport
    public void MalformedOrUnsupported_IsInvalid(byte versionCommand, byte familyProtocol, int bodyLength) =>
        Assert.Equal(ProxyHeaderStatus.Invalid, ProxyHeader.Parse(ProxyV2.Fixed(versionCommand, familyProtocol, bodyLength)).Status);

    [Fact]
    public void OversizedHeader_IsInvalidBeforeItsBodyArrives() =>
        Assert.Equal(ProxyHeaderStatus.Invalid, ProxyHeader.Parse(ProxyV2.Fixed(0x21, 0x11, 4000).AsSpan(0, 16)).Status);

    [Fact]
    public void Version1Text_IsRecognisedAndRefused()
    {
        Assert.Equal(ProxyHeaderStatus.Invalid, ProxyHeader.Parse(Encoding.ASCII.GetBytes("PROXY TCP4 203.0.113.7 10.1.2.3 51234 443\r\n")).Status);
        Assert.Equal(ProxyHeaderStatus.Incomplete, ProxyHeader.Parse("PRO"u8).Status);
        Assert.Equal(ProxyHeaderStatus.Incomplete, ProxyHeader.Parse([]).Status);
    }

    [Fact]
    public void Gate_BelievesOnlyTrustedLoadBalancers_AndRequiresTheHeaderFromThem()
    {
        var gate = Gate("10.0.0.0/8", "192.0.2.9");
        var header = ProxyV2.Proxy(Client4, Lb4);
        var tls = new byte[] { 0x16, 0x03, 0x01 };

        var believed = gate.Decide([.. header, .. tls], Lb4, noMoreData: false);
        Assert.Equal((ProxyProtocolGate.Verdict.Pass, header.Length, Client4), (believed.Verdict, believed.Consumed, believed.Client));
        var single = gate.Decide(header, new IPEndPoint(IPAddress.Parse("192.0.2.9"), 1), noMoreData: false);
        Assert.Equal(Client4, single.Client);
        var mapped = gate.Decide(header, new IPEndPoint(IPAddress.Parse("::ffff:10.9.9.9"), 1), noMoreData: false);
        Assert.Equal(ProxyProtocolGate.Verdict.Pass, mapped.Verdict);

        var stranger = new IPEndPoint(IPAddress.Parse("198.51.100.1"), 5555);
        Assert.Equal(("untrusted_sender", 0), (gate.Decide(header, stranger, false).Refusal, gate.Decide(header, stranger, false).Consumed));
        Assert.Equal("untrusted_sender", gate.Decide(ProxyV2.Local(), stranger, false).Refusal);
        Assert.Equal("untrusted_sender", gate.Decide("PROXY TCP4 "u8, stranger, false).Refusal);
        var direct = gate.Decide(tls, stranger, false);
        Assert.Equal((ProxyProtocolGate.Verdict.Pass, 0, stranger), (direct.Verdict, direct.Consumed, direct.Client));

        Assert.Equal("missing_from_proxy", gate.Decide(tls, Lb4, false).Refusal);
        Assert.Equal("invalid", gate.Decide(ProxyV2.Fixed(0x21, 0x12, 12), Lb4, false).Refusal);
        var local = gate.Decide(ProxyV2.Local(), Lb4, false);
        Assert.Equal((ProxyProtocolGate.Verdict.Pass, 16, Lb4), (local.Verdict, local.Consumed, local.Client));
        Assert.Equal(ProxyProtocolGate.Verdict.NeedMore, gate.Decide(header.AsSpan(0, 10), Lb4, noMoreData: false).Verdict);
        Assert.Equal("truncated", gate.Decide(header.AsSpan(0, 10), Lb4, noMoreData: true).Refusal);
    }

    [Fact]
    public void Gate_WithNoTrustedProxies_RefusesEveryHeader()
    {
        var gate = Gate();
        Assert.Equal(ProxyProtocolGate.Verdict.Refuse, gate.Decide(ProxyV2.Proxy(Client4, Lb4), new IPEndPoint(IPAddress.Loopback, 1), false).Verdict);
        Assert.Equal(ProxyProtocolGate.Verdict.Pass, gate.Decide([0x16], new IPEndPoint(IPAddress.Loopback, 1), false).Verdict);
    }

    [Fact]
    public void Options_RejectWhatIsNotAnAddressOrRange()
    {
        Assert.Throws<InvalidOperationException>(() => new ProxyProtocolOptions { TrustedProxies = ["10.0.0.0/33"] }.Networks());
        Assert.Throws<InvalidOperationException>(() => new ProxyProtocolOptions { TrustedProxies = ["lb.example"] }.Networks());
        Assert.Equal(2, new ProxyProtocolOptions { TrustedProxies = ["2001:db8::/32", " 10.0.0.1 "] }.Networks().Length);
    }

    private static ProxyProtocolGate Gate(params string[] trusted) =>
        new(Options.Create(new ProxyProtocolOptions { TrustedProxies = trusted }), new FakeTimeProvider(), NullLogger<ProxyProtocolGate>.Instance);
}
