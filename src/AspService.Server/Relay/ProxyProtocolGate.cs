using System.Net;
using Microsoft.Extensions.Options;

namespace AspService.Server.Relay;

/// <summary>
/// Decides, from the first bytes of a relay connection, which client address it speaks for (decision 0076). A PROXY
/// protocol v2 header is honoured only from the load balancers in <c>Relay:ProxyProtocol:TrustedProxies</c>, and
/// required from them; from anyone else a PROXY header is refused. Every relay listener asks this one gate, before TLS.
/// </summary>
public sealed class ProxyProtocolGate
{
    private readonly IPNetwork[] _trusted;
    private readonly ILogger<ProxyProtocolGate> _logger;
    private readonly TimeProvider _time;
    private long _refusedSinceLog;
    private long _nextLogTicks;

    public ProxyProtocolGate(IOptions<ProxyProtocolOptions> options, TimeProvider time, ILogger<ProxyProtocolGate> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _trusted = options.Value.Networks();
        _time = time;
        _logger = logger;
    }

    /// <summary>How long a connection may take to send its header (or its first bytes).</summary>
    public static readonly TimeSpan HeaderTimeout = TimeSpan.FromSeconds(10);

    public enum Verdict
    {
        NeedMore,
        Pass,
        Refuse,
    }

    /// <param name="Consumed">Bytes of PROXY header to skip before TLS starts.</param>
    /// <param name="Client">The address policy, audit and rate limits see.</param>
    public readonly record struct Decision(Verdict Verdict, int Consumed, IPEndPoint? Client, string? Refusal);

    public Decision Decide(ReadOnlySpan<byte> head, IPEndPoint? peer, bool noMoreData)
    {
        var fromProxy = peer is not null && IsTrusted(peer.Address);
        var header = ProxyHeader.Parse(head);
        return header.Status switch
        {
            ProxyHeaderStatus.Incomplete when !noMoreData && head.Length < ProxyHeader.MaxLength => new Decision(Verdict.NeedMore, 0, null, null),
            ProxyHeaderStatus.Incomplete => Refuse("truncated"),
            ProxyHeaderStatus.Absent when fromProxy => Refuse("missing_from_proxy"),
            ProxyHeaderStatus.Absent => new Decision(Verdict.Pass, 0, peer, null),
            _ when !fromProxy => Refuse("untrusted_sender"),
            ProxyHeaderStatus.Invalid => Refuse("invalid"),
            ProxyHeaderStatus.Local => new Decision(Verdict.Pass, header.Length, peer, null),
            _ => new Decision(Verdict.Pass, header.Length, header.Source, null),
        };
    }

    public bool IsTrusted(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _trusted.Any(n => n.Contains(plain));
    }

    /// <summary>One log line a minute at most (with the count), without addresses: refusals can come in floods.</summary>
    private Decision Refuse(string reason)
    {
        var count = Interlocked.Increment(ref _refusedSinceLog);
        var now = _time.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _nextLogTicks);
        if (now >= next && Interlocked.CompareExchange(ref _nextLogTicks, now + TimeSpan.TicksPerMinute, next) == next)
        {
            Interlocked.Exchange(ref _refusedSinceLog, 0);
            _logger.LogWarning("Relay connection refused before TLS: PROXY protocol {Reason} ({Count} refused since the last report)", reason, count);
        }

        return new Decision(Verdict.Refuse, 0, null, reason);
    }
}
