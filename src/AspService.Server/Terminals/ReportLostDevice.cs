using AspService.Data.Identity;
using AspService.Data.TenantData;
using AspService.Data.Terminals;
using AspService.Pki;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Mail;
using AspService.Server.Tokens;
using Microsoft.EntityFrameworkCore;
using AspService.Common;

namespace AspService.Server.Terminals;

/// <summary>
/// 「端末の紛失・盗難の届出」 by the staff member who owns the home device. At once: every certificate of the device
/// is revoked (its next mTLS handshake is refused), the device is disabled, its live sessions and control
/// connection are closed on whichever relay node holds them, the reporter's agent tokens are revoked (tokens belong
/// to the account, not the device, so every agent of the account signs in again), the tenant's admins are mailed,
/// and each step is audited. HTTP-free: the console page and any API call the same use case.
/// </summary>
public sealed class ReportLostDevice(
    TenantDbContext db, TerminalIssuer issuer, UserTokenRevocation tokens, Relay.RelayCommands relay, AuditLog audit,
    IMailSender mail, TimeProvider time)
{
    public const string Reason = "reported_lost";

    public async Task<ReportLostDeviceOutcome> RunAsync(ReportLostDeviceCommand command, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var terminal = await db.Terminals.FirstOrDefaultAsync(
            t => t.Id == command.TerminalId && t.Kind == TerminalKind.Home && t.OwnerUserId == actor.UserId, ct);
        var reporter = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == actor.UserId, ct);
        if (terminal is null || reporter is null)
        {
            return ReportLostDeviceOutcome.Failed(ReportLostDeviceError.NotFound);
        }

        var revoked = await issuer.RevokeAllAsync(terminal.Id, Reason, actor.Id, actor.Client, ct);
        terminal.State = TerminalState.Disabled;
        terminal.Online = false;
        terminal.Version++;
        await db.SaveChangesAsync(ct);
        await relay.EnqueueAsync(db.Tenant.TenantId, Data.Relay.RelayCommandKind.CloseTerminal, terminal.Id, "terminal_revoked", ct);
        await tokens.RevokeAllAsync(actor.UserId, actor.Id, "device_reported_lost", actor.Client, ct);
        await audit.WriteAsync(TerminalAudit.ReportedLost, actor.Id, terminal.Id.ToString("D"),
            $"kind={(command.Stolen ? "stolen" : "lost")};certificates={revoked}", actor.Client, ct);

        var admins = await AdminAddressesAsync(ct);
        var message = Body(reporter, terminal.Name, command.Stolen, time.GetUtcNow());
        foreach (var address in admins)
        {
            await mail.SendAsync(new MailMessageData(address, "【AspService】端末の紛失・盗難の届出がありました", message), ct);
        }

        return new ReportLostDeviceOutcome(null, terminal.Name, revoked, admins.Count);
    }

    private async Task<List<string>> AdminAddressesAsync(CancellationToken ct) =>
        await db.Users.AsNoTracking()
            .Where(u => u.DisabledAt == null && u.DeletedAt == null && u.Email != null
                && db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == TenantRoles.AdminId))
            .Select(u => u.Email!).ToListAsync(ct);

    /// <summary>Japanese, for the municipality's administrators (who know the reporter; no codes or secrets).</summary>
    internal static string Body(TenantUser reporter, string terminal, bool stolen, DateTimeOffset at) => $"""
        団体の管理者の皆さま

        職員から端末の{(stolen ? "盗難" : "紛失")}の届出がありました。

        届出者: {reporter.DisplayName}（{reporter.Email}）
        端末: {terminal}
        届出日時: {Jst.Format(at)}（日本時間）

        この端末の証明書を失効し、端末を無効にしました。次の接続は拒否されます。
        接続中のセッションは終了し、この職員のテレワーク接続アプリのサインインも取り消しました。

        所属の規程に従って、必要な報告と対応をお願いします。
        端末が見つかった場合も、同じ端末を使うには登録をやり直す必要があります。
        """;
}
