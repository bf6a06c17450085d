using System.Globalization;
using AspService.Benchmarks.Infrastructure;

namespace AspService.Benchmarks.SignIn;

/// <summary>Options of <c>signin-storm</c>.</summary>
public sealed record SignInStormOptions(int Staff, int Concurrency, TimeSpan Over, int SprayConcurrency, int SprayPasswords, string? ServerDirectory, bool Keep,
    IReadOnlyList<KeyValuePair<string, string>> ServerSettings, bool NewBrowsers = false, bool Egress = true)
{
    public const string Usage = """
        usage: AspService.Benchmarks signin-storm [options]
          --staff N              staff members of one municipality who sign in (default 500)
          --concurrency N        honest sign-ins in flight at once (default 16)
          --over SECONDS         spread the sign-ins evenly over this time (default 0: as fast as --concurrency allows)
          --spray-concurrency N  password-spraying requests in flight at once (default 4; 0 = no sprayer)
          --spray-passwords N    passwords the sprayer tries against every account it knows (default 2)
          --set KEY=VALUE        a server setting for the storm (e.g. --set RateLimits__AuthPerClientPerMinute=30)
          --server DIR           the server's build output (default: next to this tool)
          --new-browsers         staff sign in from browsers that never signed in (default: their own browser, which
                                 kept the known-browser cookie from their first day)
          --no-egress            the municipality has not declared its egress address (default: 127.0.0.1/32 declared)
          --keep                 keep the temp folder (server log, databases)
        Everything runs on loopback, so every request comes from one address: 127.0.0.1, as staff behind a city hall's NAT.
        """;

    public static SignInStormOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new SignInStormOptions(500, 16, TimeSpan.Zero, 4, 2, null, false, []);
        var settings = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--staff" => o with { Staff = BenchArgs.Positive("--staff", Value()) },
                "--concurrency" => o with { Concurrency = BenchArgs.Positive("--concurrency", Value()) },
                "--over" => o with { Over = TimeSpan.FromSeconds(int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture)) },
                "--spray-concurrency" => o with { SprayConcurrency = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture) },
                "--spray-passwords" => o with { SprayPasswords = BenchArgs.Positive("--spray-passwords", Value()) },
                "--server" => o with { ServerDirectory = Value() },
                "--keep" => o with { Keep = true },
                "--new-browsers" => o with { NewBrowsers = true },
                "--no-egress" => o with { Egress = false },
                "--set" => AddSetting(o, Value(), settings),
                var other => throw new ArgumentException($"unknown option '{other}'"),
            };
        }

        return o with { ServerSettings = settings };
    }

    private static SignInStormOptions AddSetting(SignInStormOptions o, string value, List<KeyValuePair<string, string>> settings)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new ArgumentException("--set needs KEY=VALUE");
        }

        settings.Add(new(value[..eq], value[(eq + 1)..]));
        return o;
    }
}
