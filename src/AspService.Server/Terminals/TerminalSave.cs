using AspService.Server.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Terminals;

/// <summary>Saving a terminal row guarded by its <c>Version</c>.</summary>
public static class TerminalSave
{
    /// <summary>
    /// Saves; when another request changed the row first (two admins at once, an agent retrying its unenroll) the
    /// later save is refused with 409 <c>concurrent_change</c> instead of escaping as a 500. Null when saved.
    /// </summary>
    public static async Task<IResult?> SaveOrConflictAsync(DbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Problems.Of(StatusCodes.Status409Conflict, "concurrent_change");
        }
    }
}
