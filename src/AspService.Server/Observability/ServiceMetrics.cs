using System.Diagnostics.Metrics;
using AspService.Data.Catalog;
using AspService.Server.Relay;
using AspService.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Observability;

/// <summary>
/// The service's own instruments (meter <c>AspService</c>, exported as <c>aspservice_*</c>). Labels are bounded sets
/// (reasons, directions, states, job kinds) and never carry tenant codes, user ids, addresses or tokens. Gauges read
/// the state that is already kept (live sessions, control connections, the catalog), so hot paths gain no code.
/// </summary>
public sealed class ServiceMetrics : IDisposable
{
    public const string MeterName = "AspService";

    /// <summary>How long a tenants-by-state count is reused: a scrape every few seconds must not query the catalog each time.</summary>
    private const long TenantCountMilliseconds = 30_000;

    private readonly Meter _meter;
    private readonly Counter<long> _transferred;
    private readonly Counter<long> _sessionsRefused;
    private readonly Counter<long> _handshakesRefused;
    private readonly Counter<long> _invoicesIssued;
    private readonly Histogram<double> _provisioning;
    private readonly IDbContextFactory<CatalogDbContext> _catalogs;
    private readonly Lock _tenantLock = new();
    private Measurement<int>[] _tenants = [];
    private long? _tenantsReadAt;

    public ServiceMetrics(IMeterFactory meters, LiveSessions sessions, ControlHub controls, IDbContextFactory<CatalogDbContext> catalogs)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(controls);
        _catalogs = catalogs;
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge("aspservice.relay.sessions.live", () => sessions.Count, "{session}", "Sessions this relay node is piping now");
        _meter.CreateObservableGauge("aspservice.relay.office_agents.online", () => controls.Count, "{agent}",
            "Office agents holding a control connection to this relay node");
        _transferred = _meter.CreateCounter<long>("aspservice.relay.transferred", "By", "Bytes relayed, counted when a session ends (direction: home_to_office, office_to_home)");
        _sessionsRefused = _meter.CreateCounter<long>("aspservice.relay.sessions.refused", "{session}", "Session requests and pairings refused, by problem type");
        _handshakesRefused = _meter.CreateCounter<long>("aspservice.relay.handshakes.refused", "{connection}", "Agent connections refused after the TLS handshake, by reason");
        _meter.CreateObservableGauge("aspservice.tenants", ReadTenants, "{tenant}", "Tenants by lifecycle state (read from the catalog at most every 30 s)");
        _provisioning = _meter.CreateHistogram<double>("aspservice.tenants.provisioning.duration", "s", "From an approved onboarding to an Active tenant");
        _invoicesIssued = _meter.CreateCounter<long>("aspservice.billing.invoices.issued", "{invoice}", "Invoices issued by the monthly close");
    }

    /// <summary>The meter the jobs' own instruments join, so every service instrument is under one name.</summary>
    public Meter Meter => _meter;

    public void SessionEnded(long homeToOffice, long officeToHome)
    {
        _transferred.Add(homeToOffice, new KeyValuePair<string, object?>("direction", "home_to_office"));
        _transferred.Add(officeToHome, new KeyValuePair<string, object?>("direction", "office_to_home"));
    }

    /// <summary><paramref name="reason"/>: a problem type slug from the relay's fixed set (e.g. <c>office-offline</c>).</summary>
    public void SessionRefused(string reason) => _sessionsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary><paramref name="reason"/>: one of <see cref="Pki.TerminalVerifier"/>'s fixed refusal codes.</summary>
    public void HandshakeRefused(string? reason) => _handshakesRefused.Add(1, new KeyValuePair<string, object?>("reason", reason ?? "unknown"));

    public void Provisioned(TimeSpan took) => _provisioning.Record(Math.Max(0, took.TotalSeconds));

    public void InvoicesIssued(int count) => _invoicesIssued.Add(count);

    private Measurement<int>[] ReadTenants()
    {
        lock (_tenantLock)
        {
            if (Environment.TickCount64 - _tenantsReadAt < TenantCountMilliseconds)
            {
                return _tenants;
            }

            try
            {
                using var catalog = _catalogs.CreateDbContext();
                // Grouped here, not in SQL: the state column's conversion differs by provider; one column of a few thousand rows.
                var counts = catalog.Tenants.AsNoTracking().Select(t => t.State).AsEnumerable().CountBy(s => s).ToDictionary();
                _tenants = [.. Enum.GetValues<TenantState>().Select(s =>
                    new Measurement<int>(counts.GetValueOrDefault(s), new KeyValuePair<string, object?>("state", s.ToString())))];
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                // A catalog that cannot be read (not migrated yet, unreachable) shows as no series, not as a failed scrape.
                _tenants = [];
            }

            _tenantsReadAt = Environment.TickCount64;
            return _tenants;
        }
    }

    public void Dispose() => _meter.Dispose();
}
