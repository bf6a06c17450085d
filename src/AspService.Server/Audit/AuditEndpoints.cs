using AspService.Data.TenantData;
using AspService.Server.Identity;
using AspService.Server.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Audit;

public static class AuditEndpoints
{
    public sealed record VerifyResponse(bool Intact, long Rows, long? BrokenAt, string? Reason);

    public sealed record EntryDto(long Sequence, DateTimeOffset At, string Action, string Actor, string? Subject, string? Detail);

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var audit = app.MapTenantGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization(TenantAuth.AdminPolicy);

        audit.MapGet("/verify", async (TenantDbContext db, CancellationToken ct) =>
        {
            var result = await AuditLog.VerifyAsync(db, ct);
            return TypedResults.Ok(new VerifyResponse(result.Intact, result.Rows, result.Break?.Sequence,
                result.Break is { } b ? b.Kind.ToString().ToLowerInvariant() : null));
        }).WithName("VerifyAuditChain").WithSummary("Verify the tenant's audit hash chain; reports the first broken row");

        audit.MapGet("/", async (TenantDbContext db, long? before, int? take, CancellationToken ct) =>
        {
            var size = Math.Clamp(take ?? 100, 1, 500);
            var query = db.AuditLog.AsNoTracking();
            if (before is { } b)
            {
                query = query.Where(a => a.Sequence < b);
            }

            var rows = await query.OrderByDescending(a => a.Sequence).Take(size)
                .Select(a => new EntryDto(a.Sequence, a.At, a.Action, a.Actor, a.Subject, a.Detail)).ToListAsync(ct);
            return TypedResults.Ok(rows);
        }).WithName("ListAuditEntries").WithSummary("Newest audit entries first (page with ?before=sequence)");

        return app;
    }
}
