namespace AspService.Server.Consoles;

/// <summary>The administrators' part of the navigation: path below the tenant, vocabulary key. Shown to admins only.</summary>
public static class AdminNav
{
    public static readonly IReadOnlyList<(string Path, string Key)> Links =
    [
        ("/admin/users", "users.nav"),
        ("/admin/terminals", "terminals.admin.nav"),
        ("/admin/policy", "policy.nav"),
        ("/admin/audit", "audit.nav"),
    ];
}
