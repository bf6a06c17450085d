using System.Security.Cryptography;
using AspService.Data;
using AspService.Data.Catalog;
using AspService.Data.Identity;
using AspService.Data.Tenancy;
using AspService.Data.TenantData;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using AspService.Common;

namespace AspService.Server.Cli;

/// <summary>
/// Administrative commands of the server executable. Each prints what it did and exits non-zero with a
/// one-line reason on failure.
/// </summary>
public static class ServerCommands
{
    public static readonly string[] Names = ["operators", "migrate", "script", "audit", "help"];

    public const string Usage = """
        使い方 / usage: AspService.Server [command]
          (no command)                         run the server (roles from Server:Roles or --Server:Roles=web,relay,jobs)
          operators create --email E [--name N] [--admin]
                                               create an operator; prints a one-time password (expires, must be changed)
          operators reset-password --email E   give an operator a new one-time password (ends their sessions)
          migrate [--parallel N]               migrate the catalog and every tenant database (migrate-all)
          script --provider P --context C [--output F]
                                               idempotent SQL script; P = SqlServer|PostgreSql|Sqlite, C = catalog|tenant
          audit verify --tenant CODE           verify a tenant's audit hash chain; reports the first broken row
        settings (every command, as for the server): --Section:Key=value or --Section:Key value,
          e.g. --Database:DataRoot=/srv/aspservice/data; also appsettings.json and environment (Database__DataRoot)
        """;

    public static bool IsCommand(string[] args) => args.Length > 0 && Names.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter output, TextWriter error)
    {
        try
        {
            await PrepareCatalogAsync(args[0], services);
            return args[0] switch
            {
                "operators" when args.Length > 1 && args[1] == "create" => await CreateOperatorAsync(args[2..], services, output),
                "operators" when args.Length > 1 && args[1] == "reset-password" => await ResetOperatorPasswordAsync(args[2..], services, output),
                "migrate" => await MigrateAsync(args[1..], services, output),
                "script" => Script(args[1..], output),
                "audit" when args.Length > 1 && args[1] == "verify" => await Audit.AuditCommands.VerifyAsync(args[2..], services, output),
                "help" => Help(output),
                _ => throw new CommandException("unknown command; run 'help'"),
            };
        }
        catch (CommandException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return 2;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // Database unreachable, bad settings, unwritable data folder: one line, no stack trace.
            await error.WriteLineAsync($"error: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
            return 1;
        }
    }

    /// <summary>Embedded default: the catalog may not exist yet when a command runs before the first start.</summary>
    private static async Task PrepareCatalogAsync(string command, IServiceProvider services)
    {
        if (command is "script" or "help" or "migrate"
            || services.GetService<Microsoft.Extensions.Options.IOptions<Hosting.ServerOptions>>()?.Value.MigrateCatalogOnStart != true)
        {
            return;
        }

        await using var catalog = await services.GetRequiredService<IDbContextFactory<CatalogDbContext>>().CreateDbContextAsync();
        await catalog.Database.MigrateAsync();
    }

    private static int Help(TextWriter output)
    {
        output.WriteLine(Usage);
        return 0;
    }

    private static async Task<int> CreateOperatorAsync(string[] args, IServiceProvider services, TextWriter output)
    {
        var email = Option(args, "--email") ?? throw new CommandException("--email is required");
        if (!AspService.Common.EmailAddress.IsValid(email))
        {
            throw new CommandException("--email is not a valid address");
        }

        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<OperatorUser>>();
        var expires = TemporaryPasswordExpiry(services);
        var user = new OperatorUser
        {
            PasswordChangeRequired = true,
            PasswordExpiresAt = expires,
            Id = Guid.CreateVersion7(),
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = Option(args, "--name") ?? email,
            IsAdministrator = args.Contains("--admin"),
            CreatedAt = services.GetRequiredService<TimeProvider>().GetUtcNow(),
        };
        var password = NewPassword();
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            throw new CommandException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }

        output.WriteLine($"運用者を作成しました / operator created: {email}{(user.IsAdministrator ? " (administrator)" : "")}");
        PrintOneTimePassword(output, password, expires);
        output.WriteLine("初回サインイン時に TOTP（認証アプリ）を登録します / enroll TOTP at first sign-in.");
        return 0;
    }

    private static async Task<int> ResetOperatorPasswordAsync(string[] args, IServiceProvider services, TextWriter output)
    {
        var email = Option(args, "--email") ?? throw new CommandException("--email is required");
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<OperatorUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new CommandException("no operator with this e-mail address");
        var password = NewPassword();
        var expires = TemporaryPasswordExpiry(services);
        user.PasswordChangeRequired = true;
        user.PasswordExpiresAt = expires;
        // A new security stamp too (RemovePassword/AddPassword): every existing session of the operator ends.
        var result = await users.RemovePasswordAsync(user);
        result = result.Succeeded ? await users.AddPasswordAsync(user, password) : result;
        result = result.Succeeded ? await users.SetLockoutEndDateAsync(user, null) : result;
        if (!result.Succeeded)
        {
            throw new CommandException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }

        output.WriteLine($"初期パスワードを再発行しました / one-time password reset: {email}");
        PrintOneTimePassword(output, password, expires);
        return 0;
    }

    private static DateTimeOffset TemporaryPasswordExpiry(IServiceProvider services) =>
        services.GetRequiredService<TimeProvider>().GetUtcNow()
        + services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Identity.OperatorOptions>>().Value.TemporaryPasswordLifetime;

    private static void PrintOneTimePassword(TextWriter output, string password, DateTimeOffset expires)
    {
        output.WriteLine($"初期パスワード / one-time password: {password}");
        output.WriteLine($"有効期限 / expires: {Jst.Format(expires)}（初回サインイン後に変更が必要 / must be changed at first sign-in）");
    }

    private static async Task<int> MigrateAsync(string[] args, IServiceProvider services, TextWriter output)
    {
        int? parallel = Option(args, "--parallel") is { } p
            ? int.TryParse(p, out var n) && n is > 0 and <= 64 ? n : throw new CommandException("--parallel must be 1..64")
            : null;
        var catalogs = services.GetRequiredService<IDbContextFactory<CatalogDbContext>>();
        await using (var catalog = await catalogs.CreateDbContextAsync())
        {
            await catalog.Database.MigrateAsync();
            output.WriteLine($"catalog: {(await catalog.Database.GetAppliedMigrationsAsync()).LastOrDefault()}");
        }

        var results = await services.GetRequiredService<TenantMigrations>().MigrateAllAsync(parallel,
            (i, total, r) => output.WriteLine($"[{i}/{total}] {r.Code} {r.Name}: {(r.Error is null ? r.SchemaVersion ?? "ok" : "FAILED " + r.Error)}"
                + (r.CaughtUp is { Count: > 0 } steps ? " (+" + string.Join(", ", steps) + ")" : "")),
            CancellationToken.None);
        var failed = results.Count(r => r.Error is not null);
        output.WriteLine($"tenants: {results.Count - failed} migrated, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Offline: generates the idempotent script from the provider's migrations without a server.</summary>
    private static int Script(string[] args, TextWriter output)
    {
        var providerName = Option(args, "--provider") ?? "SqlServer";
        if (!Enum.TryParse<DatabaseProvider>(providerName, ignoreCase: true, out var provider))
        {
            throw new CommandException("--provider must be SqlServer, PostgreSql or Sqlite");
        }

        var contextName = Option(args, "--context") ?? "tenant";
        var providers = new DatabaseProviders(new DatabaseOptions
        {
            Provider = provider,
            Catalog = provider == DatabaseProvider.Sqlite ? null : "Server=offline;Database=catalog",
            TenantServer = provider == DatabaseProvider.PostgreSql ? "Host=offline" : "Server=offline",
            DataRoot = Path.GetTempPath(),
        });
        using DbContext context = contextName switch
        {
            "catalog" => new CatalogDbContext(providers.CatalogOptions()),
            "tenant" => new TenantDbContext(providers.TenantOptions("script"), new TenantBinding(Guid.Empty, "000000", "script")),
            _ => throw new CommandException("--context must be catalog or tenant"),
        };
        var sql = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        if (Option(args, "--output") is { } file)
        {
            File.WriteAllText(file, sql);
            output.WriteLine($"{provider} {contextName} script written to {file}");
        }
        else
        {
            output.Write(sql);
        }

        return 0;
    }

    public static string NewPassword()
    {
        // Mixed classes guarantee Identity's default rules; 20 characters of randomness besides.
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var core = RandomNumberGenerator.GetString(alphabet, 20);
        return core + "-A7";
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

public sealed class CommandException(string message) : Exception(message);
