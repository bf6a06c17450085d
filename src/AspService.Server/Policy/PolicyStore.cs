using System.Text.Json;
using AspService.Data.TenantData;
using AspService.Data.Policy;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Policy;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Policy;

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

    /// <summary>
    /// Replace the policy, HTTP-free: validated, refused on a version that is no longer current, and — when it
    /// weakens security (<see cref="PolicyWeakening"/>) — saved only when the command says the weakening was
    /// confirmed; audited with the full new document.
    /// </summary>
    public async Task<PolicySaveOutcome> SaveAsync(PolicySaveCommand command, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var policy = command.Policy;
        var errors = PolicyValidator.Validate(policy);
        if (errors.Count > 0)
        {
            return new PolicySaveOutcome(null, errors, false, []);
        }

        var row = await db.Policy.FirstOrDefaultAsync(ct);
        // Two admins editing at once cannot silently overwrite each other.
        if (command.ExpectedVersion is { } expected && expected != (row?.Version ?? 0))
        {
            return new PolicySaveOutcome(null, [], true, []);
        }

        var current = row is null ? TeleworkPolicy.LgwanDefault : JsonSerializer.Deserialize<TeleworkPolicy>(row.Json, Json) ?? TeleworkPolicy.LgwanDefault;
        var weakening = PolicyWeakening.Find(current, policy);
        if (weakening.Count > 0 && !command.WeakeningConfirmed)
        {
            return new PolicySaveOutcome(null, [], false, weakening);
        }

        var now = time.GetUtcNow();
        var json = JsonSerializer.Serialize(policy, Json);
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

        row.UpdatedBy = actor.UserId == Guid.Empty ? null : actor.UserId;
        await db.SaveChangesAsync(ct);
        // Audit detail holds at most 1,000 characters: long network lists are cut, the stored document is whole.
        await audit.WriteAsync(ChangedAction, actor.UserId == Guid.Empty ? AuditLog.System : actor.Id, "policy",
            json.Length <= 1000 ? json : json[..997] + "...", actor.Client, ct);
        return new PolicySaveOutcome(new PolicyView(policy, row.Version, row.UpdatedAt, row.UpdatedBy), [], false, weakening);
    }
}
