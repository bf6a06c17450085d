namespace AspService.Server.Tenancy;

/// <summary>The municipality's egress networks (CIDR), as read and written by its admins.</summary>
public sealed record EgressView(IReadOnlyList<string>? Networks);
