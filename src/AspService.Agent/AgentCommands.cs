using System.CommandLine;
using System.Globalization;
using AspService.Agent.Enrollment;
using AspService.Agent.Home;
using AspService.Agent.Office;
using AspService.Agent.Output;

namespace AspService.Agent;

/// <summary>
/// The command line of <c>aspagent</c> (System.CommandLine 2.0). Parse errors and failures are ours to
/// print: one line on stderr (or one JSON object with --json) and the documented exit code.
/// </summary>
public static class AgentCommands
{
    private static readonly Option<bool> Json = new("--json") { Description = "結果を JSON で出力 / print one JSON object", Recursive = true };
    private static readonly Option<string?> Lang = new("--lang") { Description = "表示言語 ja|en / message language ja|en", Recursive = true };
    private static readonly Option<string?> Config = new("--config") { Description = "設定ディレクトリ / configuration directory", HelpName = "DIR", Recursive = true };
    private static readonly Option<bool> Machine = new("--machine") { Description = "Windows: コンピューター全体の証明書ストア / Windows: machine store and %ProgramData%", Recursive = true };

    private static readonly Option<string?> Server = new("--server") { Description = "団体のサーバー URL / the tenant's base URL", HelpName = "URL" };
    private static readonly Option<string?> Token = new("--token") { Description = "登録トークン / one-time enrollment token", HelpName = "T" };
    private static readonly Option<string?> Name = new("--name") { Description = "端末名 / display name", HelpName = "N" };
    private static readonly Option<string?> CaFile = new("--ca-file") { Description = "追加で信頼するルート証明書 (PEM) / extra trusted root (PEM)", HelpName = "PEM" };
    private static readonly Option<bool> Force = new("--force") { Description = "登録済みでも登録し直す / enroll again over an existing enrollment" };
    private static readonly Option<bool> IfDue = new("--if-due") { Description = "更新時期前なら何もせず成功 / succeed without renewing when not due" };
    private static readonly Option<bool> LocalOnly = new("--local-only") { Description = "サーバーに通知せずローカルのファイルだけ削除 / remove local files without telling the server" };
    private static readonly Option<string?> Target = new("--target") { Description = "転送先（既定 127.0.0.1:3389）/ where sessions go (default 127.0.0.1:3389)", HelpName = "HOST:PORT" };
    private static readonly Option<string?> Proxy = new("--proxy") { Description = "HTTP プロキシ / outbound HTTP proxy", HelpName = "URL" };
    private static readonly Option<bool> NoProxy = new("--no-proxy") { Description = "プロキシを使わない / connect directly" };
    private static readonly Option<bool> Service = new("--service") { Description = "Windows サービスとして実行（サービスから使用）/ run under the Windows service manager", Hidden = true };
    private static readonly Option<bool> Print = new("--print") { Description = "登録せず内容を表示 / print instead of installing" };
    private static readonly Option<string?> Listen = new("--listen") { Description = "待ち受けるアドレス（既定 127.0.0.1:0）/ local address (default 127.0.0.1:0)", HelpName = "ADDR:PORT" };
    private static readonly Option<bool> NoLaunch = new("--no-launch") { Description = "mstsc を起動せずアドレスを表示 / print the address, do not start mstsc" };
    private static readonly Argument<string?> Terminal = new("terminal") { Description = "庁内端末の名前か ID / office terminal name or id", Arity = ArgumentArity.ZeroOrOne };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string, string?> environment, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        AgentContext? context = null;
        var root = Build(parse => context!);
        var parse = root.Parse(args);
        var lang = parse.GetValue(Lang);
        var console = new AgentConsole(output, error, parse.GetValue(Json), AgentText.Choose(lang, environment, CultureInfo.CurrentUICulture));
        context = new AgentContext(console, parse.GetValue(Config), parse.GetValue(Machine), environment, time);
        var text = console.Text;
        try
        {
            if (lang is not null && lang is not ("ja" or "en"))
            {
                throw new AgentException(ExitCode.Usage, "usage", text.Get("invalid_lang"));
            }

            if (parse.Errors.Count > 0)
            {
                // "No command" is only worth saying when nothing else is wrong (e.g. not for a misspelt command).
                var noCommand = parse.CommandResult.Command == root;
                var specific = parse.Errors.Select(e => e.Message).Where(m => !noCommand || parse.UnmatchedTokens.Any(m.Contains)).ToList();
                throw new AgentException(ExitCode.Usage, "usage", specific.Count == 0 ? text.Get("no_command") : text.Get("invalid_arguments", specific[0]));
            }

            var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentException failure)
        {
            return (int)console.Fail(failure);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (int)console.Fail(new AgentException(ExitCode.Cancelled, "cancelled", text.Get("cancelled")));
        }
        catch (Exception ex)
        {
            // The outermost handler: whatever else escapes becomes one line and exit 1, never a stack trace.
            return (int)console.Fail(new AgentException(ExitCode.Failed, "failed", $"{ex.GetType().Name}: {AgentConsole.OneLine(ex.Message)}", ex));
        }
    }

    private static RootCommand Build(Func<ParseResult, AgentContext> context)
    {
        var enroll = new Command("enroll", "端末を登録 / enroll this computer with a one-time token") { Server, Token, Name, CaFile, Force };
        enroll.SetAction(async (parse, ct) => (int)await EnrollCommand.RunAsync(
            new EnrollOptions(parse.GetValue(Server), parse.GetValue(Token), parse.GetValue(Name), parse.GetValue(CaFile), parse.GetValue(Force)),
            context(parse),
            ct).ConfigureAwait(false));

        var status = new Command("status", "登録状態とサーバー接続を表示 / show the enrollment and check the server");
        status.SetAction(async (parse, ct) => (int)await StatusCommand.RunAsync(context(parse), ct).ConfigureAwait(false));

        var renew = new Command("renew", "証明書を更新 / renew the certificate") { IfDue };
        renew.SetAction(async (parse, ct) => (int)await RenewCommand.RunAsync(new RenewOptions(parse.GetValue(IfDue)), context(parse), ct).ConfigureAwait(false));

        var unenroll = new Command("unenroll", "登録を解除 / revoke and remove this enrollment") { LocalOnly };
        unenroll.SetAction(async (parse, ct) => (int)await UnenrollCommand.RunAsync(new UnenrollOptions(parse.GetValue(LocalOnly)), context(parse), ct).ConfigureAwait(false));

        var run = new Command("run", "リレーに接続し、セッションを転送先に中継 / stay connected to the relay and forward sessions") { Target, Proxy, NoProxy, Service };
        run.SetAction(async (parse, ct) => (int)await OfficeCommands.RunAsync(
            new OfficeRunOptions(parse.GetValue(Target), parse.GetValue(Proxy), parse.GetValue(NoProxy), parse.GetValue(Service)), context(parse), ct).ConfigureAwait(false));
        var install = new Command("install-service", "systemd ユニット / Windows サービスとして登録 / install as a systemd unit or Windows service") { Target, Proxy, NoProxy, Print };
        install.SetAction(async (parse, ct) => (int)await OfficeCommands.InstallServiceAsync(
            new InstallServiceOptions(parse.GetValue(Target), parse.GetValue(Proxy), parse.GetValue(NoProxy), parse.GetValue(Print)), context(parse), ct).ConfigureAwait(false));
        var office = new Command("office", "庁内モード / office mode") { run, install };

        var connect = new Command("connect", "自宅モード: 庁内端末に接続 / home mode: connect to your office PC") { Terminal, Listen, NoLaunch, CaFile, Proxy, NoProxy };
        connect.SetAction(async (parse, ct) => (int)await ConnectCommand.RunAsync(
            new ConnectOptions(parse.GetValue(Terminal), parse.GetValue(Listen), parse.GetValue(NoLaunch), parse.GetValue(CaFile), parse.GetValue(Proxy), parse.GetValue(NoProxy)),
            context(parse),
            ct).ConfigureAwait(false));

        return new RootCommand("aspagent — AspService 端末エージェント / terminal agent (docs/agent.md)")
        {
            Json, Lang, Config, Machine, enroll, status, renew, unenroll, office, connect,
        };
    }
}
