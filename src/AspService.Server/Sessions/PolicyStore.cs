using System.Security.Claims;
using System.Text.Json;
using AspService.Data.TenantData;
using AspService.Data.Terminals;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Tenancy;
using AspService.Sessions;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Sessions;

/// <summary>
/// The tenant's telework policy, one JSON document in the tenant database. A tenant that never changed it has the
/// LGWAN-safe defaults. Changes are validated by <see cref="PolicyValidator"/> and audited with the full new document.
/// </summary>
public sealed class PolicyStore(TenantDbContext db, AuditLog audit, TimeProvider time)
{
    public const string ChangedAction = "policy.changed";

    /// <summary>The stored document's shape is the API's: camelCase, enums and weekdays as names, durations as "hh:mm:ss".</summary>
    private static JsonSerializerOptions Json => JsonBody.Options;

    public sealed record PolicyView(TeleworkPolicy Policy, int Version, DateTimeOffset? UpdatedAt, Guid? UpdatedBy = null);

    public async Task<PolicyView> GetAsync(CancellationToken ct)
    {
        var row = await db.Policy.AsNoTracking().FirstOrDefaultAsync(ct);
        return row is null
            ? new PolicyView(TeleworkPolicy.LgwanDefault, 0, null)
            : new PolicyView(JsonSerializer.Deserialize<TeleworkPolicy>(row.Json, Json) ?? TeleworkPolicy.LgwanDefault, row.Version, row.UpdatedAt, row.UpdatedBy);
    }

    public async Task<TeleworkPolicy> CurrentAsync(CancellationToken ct) => (await GetAsync(ct)).Policy;

    public async Task<IResult> PutAsync(ClaimsPrincipal admin, HttpRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (policy, problem) = await JsonBody.ReadAsync<TeleworkPolicy>(request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var errors = PolicyValidator.Validate(policy!);
        if (errors.Count > 0)
        {
            return Problems.Fields(errors.GroupBy(e => e.Field)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message.For(Text.IsEnglish)).ToArray()));
        }

        var now = time.GetUtcNow();
        var json = JsonSerializer.Serialize(policy, Json);
        var row = await db.Policy.FirstOrDefaultAsync(ct);
        // Optional If-Match with the version read: two admins editing at once cannot silently overwrite each other.
        var ifMatch = request.Headers.IfMatch.ToString().Trim('"', ' ');
        if (ifMatch.Length > 0 && ifMatch != (row?.Version ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return Problems.Of(StatusCodes.Status409Conflict, "concurrent_change");
        }

        if (row is null)
        {
            db.Policy.Add(row = new PolicyDocument { Json = json, UpdatedAt = now, Version = 1 });
        }
        else
        {
            row.Json = json;
            row.UpdatedAt = now;
            row.Version++;
        }

        row.UpdatedBy = Guid.TryParse(admin.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
        await db.SaveChangesAsync(ct);
        // Audit detail holds at most 1,000 characters: long network lists are cut, the stored document is whole.
        await audit.WriteAsync(ChangedAction, admin.FindFirstValue(ClaimTypes.NameIdentifier) ?? AuditLog.System, "policy",
            json.Length <= 1000 ? json : json[..997] + "...", request.HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        return TypedResults.Ok(new PolicyView(policy!, row.Version, row.UpdatedAt, row.UpdatedBy));
    }
}

public static class PolicyEndpoints
{
    public static IEndpointRouteBuilder MapPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        var policy = app.MapTenantGroup("/api/v1/policy").WithTags("Telework policy");
        // Staff may read the rules they work under; only admins change them.
        policy.MapGet("/", async (PolicyStore store, CancellationToken ct) => TypedResults.Ok(await store.GetAsync(ct)))
            .RequireAuthorization(Identity.TenantAuth.UserPolicy).WithSummary("The telework policy");
        policy.MapPut("/", (HttpContext http, PolicyStore store, CancellationToken ct) => store.PutAsync(http.User, http.Request, ct))
            .RequireAuthorization(Identity.TenantAuth.AdminPolicy).WithSummary("Replace the telework policy");
        return app;
    }
}
