using System.CommandLine;
using System.CommandLine.Help;
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
          --help                               the same per command (e.g. operators create --help)
        settings (every command, as for the server): --Section:Key=value or --Section:Key value,
          e.g. --Database:DataRoot=/srv/aspservice/data; also appsettings.json and environment (Database__DataRoot)
        """;

    private static readonly string[] HelpWords = ["--help", "-h", "-?", "/?", "/h"];

    // The shape of the command line (never invoked): which first words are commands, which options take values.
    private static readonly RootCommand Shape = Build(null!, TextWriter.Null);

    /// <summary>The command words (the first word of a command line that runs a command, not the server).</summary>
    public static readonly string[] Names = [.. Shape.Subcommands.Select(c => c.Name)];

    /// <summary>Every option of every command, without its dashes (see <see cref="CommandLine.Split"/>).</summary>
    public static readonly string[] OptionNames = [.. Options(Shape).Select(o => o.Name.TrimStart('-')).Distinct(StringComparer.Ordinal)];

    public static bool IsCommand(string[] args) => args is [var first, ..] && (Names.Contains(first) || HelpWords.Contains(first));

    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        // No response files: an "@" word is a value (a display name), not a file to read.
        var parse = Build(services, output).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        try
        {
            if (parse.Errors.Count > 0)
            {
                // The error about a word we did not understand says more than "Required command was not provided".
                var message = parse.Errors.Select(e => e.Message).FirstOrDefault(m => parse.UnmatchedTokens.Any(m.Contains)) ?? parse.Errors[0].Message;
                throw new CommandException(message.Split('\n')[0].Trim() + " (help: --help)");
            }

            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
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

    private static RootCommand Build(IServiceProvider services, TextWriter output)
    {
        var email = new Option<string?>("--email") { Description = "運用者のメールアドレス / the operator's e-mail address", HelpName = "E" };
        var name = new Option<string?>("--name") { Description = "表示名 / display name", HelpName = "N" };
        var admin = new Option<bool>("--admin") { Description = "管理者にする / make an administrator" };
        var create = new Command("create", "運用者を作成し初期パスワードを表示 / create an operator; prints a one-time password") { email, name, admin };
        create.SetAction((parse, _) => Run(services, needsCatalog: true,
            () => CreateOperatorAsync(parse.GetValue(email), parse.GetValue(name), parse.GetValue(admin), services, output)));
        var resetEmail = new Option<string?>("--email") { Description = email.Description, HelpName = "E" };
        var reset = new Command("reset-password", "初期パスワードを再発行（セッションを終了）/ a new one-time password; ends their sessions") { resetEmail };
        reset.SetAction((parse, _) => Run(services, needsCatalog: true, () => ResetOperatorPasswordAsync(parse.GetValue(resetEmail), services, output)));

        var parallel = new Option<int?>("--parallel") { Description = "同時に移行する団体数 1..64 / tenants migrated at once, 1..64", HelpName = "N" };
        var migrate = new Command("migrate", "カタログと全団体のデータベースを移行 / migrate the catalog and every tenant database") { parallel };
        migrate.SetAction((parse, _) => Run(services, needsCatalog: false, () => MigrateAsync(parse.GetValue(parallel), services, output)));

        var provider = new Option<string?>("--provider") { Description = "SqlServer|PostgreSql|Sqlite", HelpName = "P" };
        var context = new Option<string?>("--context") { Description = "catalog|tenant", HelpName = "C" };
        var file = new Option<string?>("--output") { Description = "出力ファイル / output file", HelpName = "F" };
        var script = new Command("script", "冪等な SQL スクリプト / idempotent SQL script") { provider, context, file };
        script.SetAction(parse => Script(parse.GetValue(provider), parse.GetValue(context), parse.GetValue(file), output));

        var tenant = new Option<string?>("--tenant") { Description = "団体コード / tenant code", HelpName = "CODE" };
        var verify = new Command("verify", "監査ログの連鎖を検証 / verify a tenant's audit hash chain") { tenant };
        verify.SetAction((parse, _) => Run(services, needsCatalog: true,
            () => Audit.AuditCommands.VerifyAsync(parse.GetValue(tenant) is { } code ? ["--tenant", code] : [], services, output)));

        var help = new Command("help", "使い方 / usage");
        help.SetAction(_ => Help(output));

        return new RootCommand("AspService.Server — コマンドなしでサーバーを起動 / no command runs the server")
        {
            new Command("operators", "運用者 / operators") { create, reset },
            migrate,
            script,
            new Command("audit", "監査ログ / audit log") { verify },
            help,
        };
    }

    private static IEnumerable<Option> Options(Command command) =>
        command.Options.Where(o => o is not HelpOption and not VersionOption).Concat(command.Subcommands.SelectMany(Options));

    private static async Task<int> Run(IServiceProvider services, bool needsCatalog, Func<Task<int>> command)
    {
        if (needsCatalog)
        {
            await PrepareCatalogAsync(services);
        }

        return await command();
    }

    /// <summary>Embedded default: the catalog may not exist yet when a command runs before the first start.</summary>
    private static async Task PrepareCatalogAsync(IServiceProvider services)
    {
        if (services.GetService<Microsoft.Extensions.Options.IOptions<Hosting.ServerOptions>>()?.Value.MigrateCatalogOnStart != true)
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

    private static async Task<int> CreateOperatorAsync(string? email, string? name, bool administrator, IServiceProvider services, TextWriter output)
    {
        if (email is null)
        {
            throw new CommandException("--email is required");
        }

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
            DisplayName = name ?? email,
            IsAdministrator = administrator,
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

    private static async Task<int> ResetOperatorPasswordAsync(string? email, IServiceProvider services, TextWriter output)
    {
        if (email is null)
        {
            throw new CommandException("--email is required");
        }

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

    private static async Task<int> MigrateAsync(int? parallel, IServiceProvider services, TextWriter output)
    {
        if (parallel is not (null or (> 0 and <= 64)))
        {
            throw new CommandException("--parallel must be 1..64");
        }

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
    private static int Script(string? providerName, string? contextName, string? file, TextWriter output)
    {
        providerName ??= "SqlServer";
        if (!Enum.TryParse<DatabaseProvider>(providerName, ignoreCase: true, out var provider))
        {
            throw new CommandException("--provider must be SqlServer, PostgreSql or Sqlite");
        }

        contextName ??= "tenant";
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
        if (file is not null)
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
}

public sealed class CommandException(string message) : Exception(message);
