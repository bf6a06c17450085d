using AspService.Data.Catalog;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AspService.Server.Hosting;

/// <summary>What a person starting the quick start needs to read: where it listens and how to sign in.</summary>
public static class Banner
{
    public static void Print(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var roles = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.Roles;
        var data = app.Services.GetRequiredService<Data.DatabaseProviders>();
        using var scope = app.Services.CreateScope();
        var hasOperator = scope.ServiceProvider.GetRequiredService<CatalogDbContext>().Users.Any();
        var url = addresses.FirstOrDefault(a => a.StartsWith("http:", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault() ?? "(no address)";
        Console.WriteLine();
        Console.WriteLine($"AspService は起動しました / AspService is running ({roles}; {data.Provider}, data: {data.DataRoot})");
        foreach (var address in addresses)
        {
            // The https listener of the relay role is for agents (TLS 1.3, client certificate), not for browsers.
            Console.WriteLine(address.StartsWith("https:", StringComparison.OrdinalIgnoreCase) && roles.Contains("relay", StringComparison.Ordinal)
                ? $"  端末用 (TLS 1.3 + クライアント証明書) / agent endpoint: {address}"
                : $"  URL: {address}");
        }

        var publicAddress = app.Services.GetRequiredService<PublicAddress>();
        Console.WriteLine($"  公開 URL（メールのリンク・CRL）/ public base URL (links, CRL): {publicAddress.BaseUrl}"
            + (publicAddress.Configured is null ? $"  ← {PublicAddress.Setting} 未設定 / not set" : ""));
        foreach (var problem in PublicAddress.Problems(publicAddress.Configured, app.Environment.IsDevelopment()))
        {
            Console.WriteLine($"  警告 / warning: {problem}");
        }

        Console.WriteLine($"  運用コンソール / operator console: {url}/ops/");
        Console.WriteLine($"  API: {url}/openapi/v1.json");
        if (!hasOperator)
        {
            Console.WriteLine("  最初の運用者を作成してください / create the first operator (in another terminal):");
            Console.WriteLine("    dotnet run --project src/AspService.Server -- operators create --email you@example.jp --admin");
            Console.WriteLine("  表示された初期パスワードでサインインし、認証アプリで TOTP を登録します / sign in with the printed password, then enroll TOTP.");
        }

        Console.WriteLine();
    }
}
