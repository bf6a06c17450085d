using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using AspService.Agent.Relay;

namespace AspService.Tests.Agent;

/// <summary>
/// Who ended a bridged session, as the home agent reports it ("local" or "relay"): the side that ended or failed
/// first, not the direction whose task happened to finish first. When the relay cuts a session while the RDP client
/// still sends, the failed write towards the relay is the relay's end (under load that write used to lose the race
/// to the read and the session was reported as ended by the client).
/// </summary>
public sealed class ByteBridgeTests
{
    [Fact]
    public async Task RelayWriteFails_WhileItsReadWaits_EndedByTheRelay()
    {
        var (local, peer) = await LoopbackPairAsync();
        using var _ = peer;
        using var relay = RelayLink.WebSocket(WebSocket.CreateFromStream(new CutStream(), isServer: false, subProtocol: null, TimeSpan.Zero));

        var run = new ByteBridge(TimeProvider.System, TimeSpan.FromSeconds(1)).RunAsync(relay, local, CancellationToken.None);
        await peer.SendAsync(new byte[] { 1, 2, 3 }, SocketFlags.None);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(result.LocalClosedFirst);
        Assert.True(result.Aborted);
        Assert.Equal(0, result.ToRelay);
    }

    [Fact]
    public async Task LocalEndOfStream_EndedLocally()
    {
        var (local, peer) = await LoopbackPairAsync();
        using var _ = peer;
        using var relay = RelayLink.WebSocket(WebSocket.CreateFromStream(new CutStream(writable: true), isServer: false, subProtocol: null, TimeSpan.Zero));

        var run = new ByteBridge(TimeProvider.System, TimeSpan.FromMilliseconds(200)).RunAsync(relay, local, CancellationToken.None);
        peer.Shutdown(SocketShutdown.Send);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.LocalClosedFirst);
    }

    private static async Task<(Socket Local, Socket Peer)> LoopbackPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await peer.ConnectAsync(listener.LocalEndPoint!);
        return (await listener.AcceptAsync(), peer);
    }

    /// <summary>A relay connection that never sends anything and whose writes fail (or are swallowed) as a cut one's do.</summary>
    private sealed class CutStream(bool writable = false) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            writable ? ValueTask.CompletedTask : ValueTask.FromException(new IOException("Connection reset by peer"));

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
