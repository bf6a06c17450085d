using AspService.Benchmarks.Infrastructure;

namespace AspService.Benchmarks.Relay;

/// <summary>Options of the <c>relay</c> command.</summary>
public sealed record RelayBenchOptions(
    IReadOnlyList<string> Paths,
    int BulkMib,
    int RoundTrips,
    int MessageBytes,
    int Sessions,
    int SessionMib,
    int Setups,
    int IdleControls,
    int HoldSeconds,
    string? ServerDirectory,
    IReadOnlyDictionary<string, string> ServerSettings,
    bool Keep)
{
    public static readonly IReadOnlyList<string> AllPaths = ["direct", "relay", "relay-tunnel", "stunnel", "nginx", "nginx-2hop", "stunnel-nginx"];

    public const string Usage = """
        usage: dotnet run -c Release --project tests/Benchmarks -- relay [options]
          --quick                 a small run: 32 MiB bulk, 500 round trips, 20 sessions x 2 MiB, 50 idle control connections
          --paths a,b,...         paths to measure, in this order (default all):
                                    direct         TCP straight to the echo service (baseline)
                                    relay          home stand-in -> WSS -> relay (the server) -> WSS -> office stand-in -> TCP echo
                                    stunnel        TCP -> stunnel (client) -> TLS 1.3 -> stunnel (server) -> TCP echo
                                    nginx          TLS 1.3 -> nginx stream proxy -> TCP echo
                                    nginx-2hop     TLS 1.3 -> nginx stream proxy -> TLS 1.3 (proxy_ssl) -> TLS stand-in -> TCP echo
                                    stunnel-nginx  TCP -> stunnel -> TLS 1.3 -> nginx -> TLS 1.3 -> stunnel -> TCP echo
          --bulk-mib N            one stream: MiB echoed (default 256)
          --round-trips N         round trips of one message for the latency figures (default 2000)
          --message-bytes N       size of that message (default 1024)
          --sessions N            concurrent sessions (default 100)
          --session-mib N         MiB echoed by each concurrent session (default 8)
          --setups N              sequential stream setups timed (open, first byte echoed, close; default 20)
          --idle-controls N       relay only: idle office control connections for the memory figure (default 1000; 0 skips)
          --hold SECONDS          keep those idle connections open this long after measuring (to inspect the server, e.g. dotnet-gcdump)
          --set Key=Value         extra server setting or environment variable, e.g. --set Kestrel:Limits:MaxConcurrentConnections=20000 (repeatable)
          --server DIR            server build output (default: src/AspService.Server/bin/<config>/net10.0)
          --keep                  keep the temp folder (server data and log, proxy configs and logs)
        stunnel and nginx come from Debian packages: apt-get install -y stunnel4 nginx libnginx-mod-stream
        (a path whose program is missing is reported and skipped).
        """;

    public static RelayBenchOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var quick = args.Contains("--quick");
        var options = new RelayBenchOptions(AllPaths, quick ? 32 : 256, quick ? 500 : 2000, 1024, quick ? 20 : 100, quick ? 2 : 8, quick ? 10 : 20,
            quick ? 50 : 1000, 0, null, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), false);
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--quick" => options,
                "--paths" => options with { Paths = ParsePaths(Value()) },
                "--bulk-mib" => options with { BulkMib = BenchArgs.Positive("--bulk-mib", Value()) },
                "--round-trips" => options with { RoundTrips = BenchArgs.Positive("--round-trips", Value()) },
                "--message-bytes" => options with { MessageBytes = BenchArgs.Positive("--message-bytes", Value()) },
                "--sessions" => options with { Sessions = BenchArgs.Positive("--sessions", Value()) },
                "--session-mib" => options with { SessionMib = BenchArgs.Positive("--session-mib", Value()) },
                "--setups" => options with { Setups = BenchArgs.Positive("--setups", Value()) },
                "--idle-controls" => options with { IdleControls = Value() is "0" ? 0 : BenchArgs.Positive("--idle-controls", args[i]) },
                "--hold" => options with { HoldSeconds = BenchArgs.Positive("--hold", Value()) },
                "--server" => options with { ServerDirectory = Value() },
                "--set" => options with { ServerSettings = WithSetting(options.ServerSettings, Value()) },
                "--keep" => options with { Keep = true },
                var other => throw new ArgumentException($"unknown option '{other}'"),
            };
        }

        return options;
    }

    private static Dictionary<string, string> WithSetting(IReadOnlyDictionary<string, string> settings, string pair)
    {
        var eq = pair.IndexOf('=', StringComparison.Ordinal);
        return eq > 0
            ? new Dictionary<string, string>(settings, StringComparer.OrdinalIgnoreCase) { [pair[..eq].Replace(":", "__", StringComparison.Ordinal)] = pair[(eq + 1)..] }
            : throw new ArgumentException("--set needs Key=Value");
    }

    private static List<string> ParsePaths(string value)
    {
        var paths = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var unknown = paths.FirstOrDefault(p => !AllPaths.Contains(p));
        return unknown is null && paths.Count > 0
            ? paths
            : throw new ArgumentException($"--paths takes a comma-separated list of {string.Join(", ", AllPaths)}");
    }
}
