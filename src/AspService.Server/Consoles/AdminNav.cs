namespace AspService.Server.Consoles;

/// <summary>The administrators' part of the navigation: path below the tenant, vocabulary key. Shown to admins only.</summary>
public static class AdminNav
{
    public static readonly IReadOnlyList<(string Path, string Key)> Links =
    [
        ("/admin", "admin.nav.home"),
        ("/admin/sessions", "admin.nav.live"),
        ("/admin/sessions/history", "admin.nav.history"),
        ("/admin/usage", "admin.nav.usage"),
        ("/admin/invoices", "admin.nav.invoices"),
        ("/admin/telework", "admin.nav.telework"),
        ("/admin/telework/rates", "admin.nav.rates"),
        ("/admin/users", "users.nav"),
        ("/admin/terminals", "terminals.admin.nav"),
        ("/admin/policy", "policy.nav"),
        ("/admin/audit", "audit.nav"),
    ];
}
