using System.Globalization;
using System.Text;
using AspService.Common;
using AspService.Data.Catalog;
using AspService.Data.Identity;
using AspService.Data.TenantData;
using AspService.Data.Terminals;
using AspService.Pki;
using AspService.Server.Audit;
using AspService.Server.Jobs;
using AspService.Server.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Pki;

/// <summary>
/// One tenant's certificate housekeeping, idempotent: counts terminal certificates in their renewal window (agents
/// renew themselves), reports each terminal whose last certificate expired unrenewed once (audit row per serial,
/// one mail to the tenant admins), and rolls the tenant CA over once it has less than
/// <see cref="PkiOptions.TenantCaRolloverBefore"/> left. Run daily per tenant by <see cref="TenantCertificateRotationJob"/>.
/// </summary>
public sealed class CertificateRotation(
    TenantDbContext db,
    CatalogDbContext catalog,
    AuditLog audit,
    TenantCaStore cas,
    IMailSender mail,
    TimeProvider time,
    IOptions<PkiOptions> pki,
    CertificateRotationMetrics metrics,
    ILogger<CertificateRotation> logger)
{
    public const string ExpiredUnrenewed = "certificate.expired_unrenewed";
    public const string CaRolledOver = "pki.ca_rolled_over";

    public async Task<CertificateRotationResult> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var due = await DueForRenewalAsync(db, now, ct);
        metrics.DueForRenewal.Add(due.Count);
        if (due.Count > 0)
        {
            logger.LogInformation("Tenant {TenantId}: {Count} terminal certificates are due for renewal", db.Tenant.TenantId, due.Count);
        }

        var reported = await ReportExpiredAsync(now, ct);
        var rolled = await RollOverCaAsync(now, ct);
        return new CertificateRotationResult(due.Count, reported, rolled);
    }

    /// <summary>Unrevoked certificates of live terminals past two thirds of their life that nothing renewed yet.</summary>
    public static async Task<IReadOnlyList<string>> DueForRenewalAsync(TenantDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var live = await LiveCertificatesAsync(db, ct);
        var renewed = live.Where(c => c.RenewedFrom != null).Select(c => c.RenewedFrom!).ToHashSet(StringComparer.Ordinal);
        var newest = live.GroupBy(c => c.TerminalId).ToDictionary(g => g.Key, g => g.Max(c => c.NotAfter));
        return [.. live.Where(c => TerminalCertificates.IsRenewable(c.NotBefore, c.NotAfter, now) && !renewed.Contains(c.Serial)
                && newest[c.TerminalId] == c.NotAfter)
            .Select(c => c.Serial).Order(StringComparer.Ordinal)];
    }

    /// <summary>Per terminal still in use, the newest unrevoked certificate when it has expired: nothing replaced it in time.</summary>
    public static async Task<IReadOnlyList<(Guid TerminalId, string Serial, DateTimeOffset NotAfter)>> ExpiredUnrenewedAsync(
        TenantDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var live = await LiveCertificatesAsync(db, ct);
        return [.. live.GroupBy(c => c.TerminalId)
            .Select(g => g.OrderByDescending(c => c.NotAfter).First())
            .Where(c => c.NotAfter <= now)
            .OrderBy(c => c.NotAfter).ThenBy(c => c.Serial, StringComparer.Ordinal)
            .Select(c => (c.TerminalId, c.Serial, c.NotAfter))];
    }

    private static async Task<List<CertificateFacts>> LiveCertificatesAsync(TenantDbContext db, CancellationToken ct)
    {
        // Disabled and unenrolled terminals are an admin's decision, not a failed renewal; deleted ones leave the query filter.
        var terminals = db.Terminals.Where(t => t.State == TerminalState.Active || t.State == TerminalState.PendingApproval).Select(t => t.Id);
        return await db.TerminalCertificates.AsNoTracking()
            .Where(c => c.RevokedAt == null && terminals.Contains(c.TerminalId))
            .Select(c => new CertificateFacts(c.Serial, c.TerminalId, c.NotBefore, c.NotAfter, c.RenewedFrom))
            .ToListAsync(ct);
    }

    private async Task<int> ReportExpiredAsync(DateTimeOffset now, CancellationToken ct)
    {
        var expired = await ExpiredUnrenewedAsync(db, now, ct);
        if (expired.Count == 0)
        {
            return 0;
        }

        var details = expired.Select(e => Detail(e.Serial)).ToList();
        var known = (await db.AuditLog.AsNoTracking().Where(a => a.Action == ExpiredUnrenewed && details.Contains(a.Detail!))
            .Select(a => a.Detail!).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var fresh = expired.Where(e => !known.Contains(Detail(e.Serial))).ToList();
        if (fresh.Count == 0)
        {
            return 0;
        }

        // Mail before the audit rows: a failure between the two mails again on retry rather than never.
        var names = await db.Terminals.AsNoTracking().Where(t => fresh.Select(f => f.TerminalId).Contains(t.Id))
            .ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        await MailAdminsAsync(fresh.Select(f => (names.GetValueOrDefault(f.TerminalId, f.TerminalId.ToString("D")), f.NotAfter)).ToList(), ct);
        foreach (var (terminalId, serial, _) in fresh)
        {
            await audit.WriteAsync(ExpiredUnrenewed, AuditLog.System, terminalId.ToString("D"), Detail(serial), null, ct);
        }

        metrics.ExpiredUnrenewed.Add(fresh.Count);
        logger.LogWarning("Tenant {TenantId}: {Count} terminals let their certificate expire without renewal", db.Tenant.TenantId, fresh.Count);
        return fresh.Count;
    }

    private static string Detail(string serial) => "serial=" + serial;

    private async Task MailAdminsAsync(List<(string Name, DateTimeOffset NotAfter)> terminals, CancellationToken ct)
    {
        var admins = await db.UserRoles.AsNoTracking().Where(r => r.RoleId == TenantRoles.AdminId).Select(r => r.UserId)
            .Join(db.Users.AsNoTracking().Where(u => u.DisabledAt == null && u.DeletedAt == null && u.Email != null), id => id, u => u.Id, (_, u) => u.Email!)
            .OrderBy(e => e).ToListAsync(ct);
        if (admins.Count == 0)
        {
            return;
        }

        var tenantId = db.Tenant.TenantId;
        var tenantName = await catalog.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.Name).FirstAsync(ct);
        var list = new StringBuilder();
        foreach (var (name, notAfter) in terminals)
        {
            // Japan time: what the admins read on their own calendars.
            list.Append(CultureInfo.InvariantCulture, $"- {name} ({Jst.Format(notAfter)} JST)\r\n");
        }

        foreach (var to in admins)
        {
            await mail.SendAsync(new MailMessageData(to, RotationText.Get("expired_subject", tenantName),
                RotationText.Get("expired_body", tenantName, terminals.Count, list.ToString())), ct);
        }
    }

    /// <summary>
    /// A new current CA when the current one is inside the rollover margin. Idempotent: the new CA has a full
    /// lifetime, so the next run finds it outside the margin (the margin must be shorter than the lifetime).
    /// </summary>
    private async Task<bool> RollOverCaAsync(DateTimeOffset now, CancellationToken ct)
    {
        var margin = pki.Value.TenantCaRolloverBefore;
        if (margin >= pki.Value.TenantCaLifetime)
        {
            throw new PermanentJobException("Pki:TenantCaRolloverBefore must be shorter than Pki:TenantCaLifetime, or every run would roll the CA over");
        }

        var current = await db.CertificateAuthorities.AsNoTracking().Where(c => c.Current).Select(c => new { c.Id, c.NotAfter }).FirstOrDefaultAsync(ct);
        if (current is null || !IsRolloverDue(current.NotAfter, now, margin))
        {
            return false;
        }

        var tenantId = db.Tenant.TenantId;
        var tenantName = await catalog.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.Name).FirstAsync(ct);
        var created = await cas.CreateAsync(tenantName, current: true, ct);
        await audit.WriteAsync(CaRolledOver, AuditLog.System, created.Id.ToString("D"),
            $"previous={current.Id:D};previous_not_after={current.NotAfter.UtcDateTime:O}", null, ct);
        logger.LogInformation("Tenant {TenantId}: CA rolled over; the previous root stays trusted until {NotAfter:u}", tenantId, current.NotAfter);
        return true;
    }

    /// <summary>True when the current CA has less than <paramref name="margin"/> left (pure rule).</summary>
    public static bool IsRolloverDue(DateTimeOffset currentNotAfter, DateTimeOffset now, TimeSpan margin) => currentNotAfter - now < margin;

    private sealed record CertificateFacts(string Serial, Guid TerminalId, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string? RenewedFrom);
}
