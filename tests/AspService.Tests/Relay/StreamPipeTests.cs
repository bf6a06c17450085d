using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using AspService.Server.Relay;
using Microsoft.Extensions.Time.Testing;

namespace AspService.Tests.Relay;

public sealed class StreamPipeTests
{
    [Fact]
    public async Task Run_BothDirectionsOverRealSockets_ByteIdenticalAndCounted()
    {
        var (homeClient, homeRelay) = await SocketPairAsync();
        var (officeRelay, officeClient) = await SocketPairAsync();
        var pipe = new StreamPipe();
        var relay = pipe.RunAsync(homeRelay, officeRelay, TimeProvider.System, CancellationToken.None);
        var up = RandomNumberGenerator.GetBytes(4 * 1024 * 1024 + 17);
        var down = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 5);

        var sendUp = SendThenShutdownAsync(homeClient, up);
        var sendDown = SendThenShutdownAsync(officeClient, down);
        var receivedUp = ReadExactlyAsync(officeClient, up.Length);
        var receivedDown = ReadExactlyAsync(homeClient, down.Length);
        await Task.WhenAll(sendUp, sendDown, receivedUp, receivedDown);
        var totals = await relay;

        Assert.Equal(SHA256.HashData(up), SHA256.HashData(await receivedUp));
        Assert.Equal(SHA256.HashData(down), SHA256.HashData(await receivedDown));
        Assert.Equal(up.Length, totals.HomeToOffice);
        Assert.Equal(down.Length, totals.OfficeToHome);
    }

    [Fact]
    public async Task Run_SlowReader_WriterIsHeldBack_NoUnboundedBuffering()
    {
        // The office side never reads: the relay may hold at most one chunk, the rest stays with the sender.
        var home = new Pipe(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024));
        var office = new Pipe(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024));
        var homeStream = new DuplexStream(home.Reader.AsStream(), new Pipe().Writer.AsStream());
        var officeStream = new DuplexStream(new Pipe().Reader.AsStream(), office.Writer.AsStream());
        var pipe = new StreamPipe();
        using var cts = new CancellationTokenSource();
        var relay = pipe.RunAsync(homeStream, officeStream, TimeProvider.System, cts.Token);

        var writer = home.Writer.AsStream();
        var chunk = new byte[16 * 1024];
        var written = 0L;
        var blocked = false;
        for (var i = 0; i < 1024 && !blocked; i++)
        {
            var write = writer.WriteAsync(chunk).AsTask();
            blocked = await Task.WhenAny(write, Task.Delay(200)) != write;
            if (!blocked)
            {
                written += chunk.Length;
            }
        }

        Assert.True(blocked, "the sender should be held back once the relay and pipes are full");
        Assert.True(written < 1024 * 1024, $"wrote {written} bytes into a peer that never reads");
        await cts.CancelAsync();
        await relay;
    }

    [Fact]
    public async Task Run_OneSideCloses_OtherSideSeesEndAndPipeStops()
    {
        var (homeClient, homeRelay) = await SocketPairAsync();
        var (officeRelay, officeClient) = await SocketPairAsync();
        var relay = new StreamPipe().RunAsync(homeRelay, officeRelay, TimeProvider.System, CancellationToken.None);

        homeClient.Socket.Shutdown(SocketShutdown.Both);
        homeClient.Dispose();

        // The office side is told (end of stream), closes in turn, and the pipe ends without waiting its linger.
        var buffer = new byte[16];
        Assert.Equal(0, await officeClient.ReadAsync(buffer));
        officeClient.Dispose();
        var finished = await Task.WhenAny(relay, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(relay, finished);
    }

    [Fact]
    public async Task Run_PeerNeverCloses_EndsAfterLinger()
    {
        var (homeClient, homeRelay) = await SocketPairAsync();
        var (officeRelay, officeClient) = await SocketPairAsync();
        var clock = new FakeTimeProvider();
        var relay = new StreamPipe(TimeSpan.FromSeconds(10)).RunAsync(homeRelay, officeRelay, clock, CancellationToken.None);

        homeClient.Socket.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await officeClient.ReadAsync(new byte[16])); // the end reached the office side

        // The office side never closes: only the linger, on the pipe's clock, ends the session.
        Assert.False(relay.IsCompleted);
        while (!relay.IsCompleted)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            await Task.Yield();
        }

        await relay;
        officeClient.Dispose();
        homeClient.Dispose();
    }

    private static async Task SendThenShutdownAsync(NetworkStream stream, byte[] data)
    {
        await stream.WriteAsync(data);
        stream.Socket.Shutdown(SocketShutdown.Send);
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int length)
    {
        var buffer = new byte[length];
        await stream.ReadExactlyAsync(buffer);
        return buffer;
    }

    private static async Task<(NetworkStream A, NetworkStream B)> SocketPairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        var accept = listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await accept;
        return (client.GetStream(), server.GetStream());
    }

    private sealed class DuplexStream(Stream read, Stream write) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => write.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => write.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => read.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => read.ReadAsync(buffer, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => write.WriteAsync(buffer, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => write.Write(buffer, offset, count);
    }
}
