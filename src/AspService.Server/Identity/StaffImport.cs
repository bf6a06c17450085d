using System.Globalization;
using AspService.Data.Identity;
using AspService.Data.TenantData;
using AspService.Identity;
using AspService.Server.Audit;
using Microsoft.AspNetCore.Identity;

namespace AspService.Server.Identity;

/// <summary>
/// Bulk import of staff from a personnel system's CSV. The whole file is checked first and every problem
/// reported with its line; only a clean file is written, in one transaction. Re-importing the same file
/// finds every row unchanged and writes nothing.
/// </summary>
public sealed class StaffImport(UserManager<TenantUser> users, TenantDbContext db, TenantUsersAdmin admin, TenantLinks links, AuditLog audit)
{
    public const int MaxBytes = 2 * 1024 * 1024;

    public sealed record RowOutcome(int Line, string Email, string Outcome);

    public sealed record ImportResponse(bool DryRun, int Created, int Updated, int Unchanged, IReadOnlyList<RowOutcome> Rows);

    public sealed record ProblemRow(int Line, string? Column, string Message);

    /// <summary>What an import did (or would do, on a dry run), or why it wrote nothing.</summary>
    public sealed record Outcome(ImportResponse? Response, bool TooLarge, IReadOnlyList<ProblemRow> Problems)
    {
        public bool Succeeded => Response is not null;
    }

    /// <summary>The import, HTTP-free: the console page and the API endpoint both call it.</summary>
    public async Task<Outcome> RunAsync(byte[] bytes, bool dryRun, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(actor);
        if (bytes.Length > MaxBytes)
        {
            return new Outcome(null, true, []);
        }

        var text = StaffCsv.Decode(bytes);
        if (text is null)
        {
            return new Outcome(null, false, [new ProblemRow(1, null, IdentityText.Get("csv_encoding"))]);
        }

        var parsed = StaffCsv.Parse(text);
        if (parsed.Problems.Count > 0)
        {
            return new Outcome(null, false, [.. parsed.Problems.Select(p => new ProblemRow(p.Line, p.Column,
                p.Argument is null ? IdentityText.Get(p.Code) : IdentityText.Get(p.Code, p.Argument)))]);
        }

        // Plan against the current state; nothing is written yet.
        var plan = new List<(StaffRow Row, TenantUser? Existing, string Outcome)>();
        foreach (var row in parsed.Rows)
        {
            var existing = await users.FindByEmailAsync(row.Email);
            var outcome = "created";
            if (existing is not null)
            {
                var role = (await users.GetRolesAsync(existing)).FirstOrDefault();
                outcome = existing.DisplayName == row.Name && existing.Department == row.Department && role == row.Role ? "unchanged" : "updated";
            }

            plan.Add((row, existing, outcome));
        }

        var response = new ImportResponse(dryRun,
            plan.Count(p => p.Outcome == "created"), plan.Count(p => p.Outcome == "updated"), plan.Count(p => p.Outcome == "unchanged"),
            [.. plan.Select(p => new RowOutcome(p.Row.Line, p.Row.Email, p.Outcome))]);
        if (dryRun || response.Created + response.Updated == 0)
        {
            return new Outcome(response, false, []);
        }

        var invited = new List<TenantUser>();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            foreach (var (row, existing, outcome) in plan)
            {
                if (outcome == "created")
                {
                    invited.Add(await admin.CreateAsync(row.Email, row.Name, row.Department, row.Role, ct));
                }
                else if (outcome == "updated")
                {
                    await UpdateAsync(existing!, row);
                }
            }

            await tx.CommitAsync(ct);
        }

        foreach (var user in invited)
        {
            await links.SendInvitationAsync(user, ct);
        }

        await audit.WriteAsync(AuditActions.Imported, actor.Id, null,
            string.Create(CultureInfo.InvariantCulture, $"created={response.Created};updated={response.Updated};unchanged={response.Unchanged}"), actor.Client, ct);
        return new Outcome(response, false, []);
    }

    private async Task UpdateAsync(TenantUser user, StaffRow row)
    {
        user.DisplayName = row.Name;
        user.Department = row.Department;
        var roles = await users.GetRolesAsync(user);
        if (roles.Count != 1 || roles[0] != row.Role)
        {
            await users.RemoveFromRolesAsync(user, roles);
            await users.AddToRoleAsync(user, row.Role);
            // A role change ends the user's sessions, as it does from the admin screen.
            await users.UpdateSecurityStampAsync(user);
        }
        else
        {
            await users.UpdateAsync(user);
        }
    }
}
