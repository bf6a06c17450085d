using System.Security.Cryptography;
using System.Text;
using AspService.Data.Catalog;
using AspService.Data.Identity;
using AspService.Data.TenantData;
using AspService.Server.Mail;
using AspService.Server.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using AspService.Common;

namespace AspService.Server.Identity;

/// <summary>
/// Single-use invitation and password-reset links. The token is 256 random bits; only its SHA-256 is
/// stored, in the tenant's own database, so a link from another tenant is simply unknown here.
/// </summary>
public sealed class TenantLinks(
    TenantDbContext db,
    TenantAccessor accessor,
    CatalogDbContext catalog,
    IMailSender mail,
    TimeProvider time,
    IOptions<TenantIdentityOptions> options,
    Hosting.PublicAddress publicAddress,
    IOptions<MailOptions> mailOptions)
{
    public async Task SendInvitationAsync(TenantUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var lifetime = options.Value.InvitationLifetime;
        var token = await IssueAsync(user.Id, LinkPurpose.Invitation, lifetime, ct);
        var name = await TenantNameAsync(ct);
        await mail.SendAsync(new MailMessageData(user.Email!,
            IdentityText.Get("invitation_subject", name),
            IdentityText.Get("invitation_body", name, Salutation(user), (int)lifetime.TotalHours, Link("invitation", token), Provider)
                + mailOptions.Value.Signature()), ct);
    }

    /// <summary>The provider as named in mails (configuration <c>Mail:ProviderName</c>, else the sender name).</summary>
    private string Provider => string.IsNullOrWhiteSpace(mailOptions.Value.ProviderName) ? mailOptions.Value.FromName : mailOptions.Value.ProviderName;

    public async Task SendResetAsync(TenantUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var lifetime = options.Value.ResetLifetime;
        var token = await IssueAsync(user.Id, LinkPurpose.PasswordReset, lifetime, ct);
        var name = await TenantNameAsync(ct);
        await mail.SendAsync(new MailMessageData(user.Email!,
            IdentityText.Get("reset_subject", name),
            IdentityText.Get("reset_body", name, Salutation(user), Math.Max(1, (int)lifetime.TotalHours), Link("password-reset", token))), ct);
    }

    /// <summary>The live link's user, without using it up (so a rejected password can be retried).</summary>
    public async Task<(UserLinkToken Link, TenantUser User)?> FindAsync(string? token, LinkPurpose purpose, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200)
        {
            return null;
        }

        var hash = SecretHash.Of(token.Trim());
        var now = time.GetUtcNow();
        var link = await db.LinkTokens.AsNoTracking()
            .FirstOrDefaultAsync(l => l.TokenHash == hash && l.Purpose == purpose && l.UsedAt == null && l.ExpiresAt > now, ct);
        if (link is null)
        {
            return null;
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == link.UserId, ct);
        return user is null || user.DisabledAt is not null ? null : (link, user);
    }

    /// <summary>Uses the link up; false if another request used it first.</summary>
    public async Task<bool> ConsumeAsync(UserLinkToken link, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(link);
        var now = time.GetUtcNow();
        return await db.LinkTokens.Where(l => l.Id == link.Id && l.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), ct) == 1;
    }

    /// <summary>Makes every open link of the user unusable (disable, delete).</summary>
    public Task RevokeAllAsync(Guid userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return db.LinkTokens.Where(l => l.UserId == userId && l.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), ct);
    }

    public Task<bool> HasOpenInvitationAsync(Guid userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return db.LinkTokens.AnyAsync(l => l.UserId == userId && l.Purpose == LinkPurpose.Invitation && l.UsedAt == null && l.ExpiresAt > now, ct);
    }

    private async Task<string> IssueAsync(Guid userId, LinkPurpose purpose, TimeSpan lifetime, CancellationToken ct)
    {
        // A new link of the same kind supersedes the old ones.
        var now = time.GetUtcNow();
        await db.LinkTokens.Where(l => l.UserId == userId && l.Purpose == purpose && l.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), ct);
        var token = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        db.LinkTokens.Add(new UserLinkToken
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Purpose = purpose,
            TokenHash = SecretHash.Of(token),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        });
        await db.SaveChangesAsync(ct);
        return token;
    }

    private string Link(string page, string token)
    {
        return $"{publicAddress.TenantRoot(accessor.Required.Code)}/{page}?token={token}";
    }

    private async Task<string> TenantNameAsync(CancellationToken ct)
    {
        var id = accessor.Required.TenantId;
        return await catalog.Tenants.AsNoTracking().Where(t => t.Id == id).Select(t => t.Name).SingleAsync(ct);
    }

    private static string Salutation(TenantUser user) => string.IsNullOrEmpty(user.DisplayName) ? user.Email! : user.DisplayName;

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
