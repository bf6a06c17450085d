using System.Reflection;
using AspService.Server.Pki;
using AspService.Server.Policy;
using AspService.Server.Jobs.Work;
using AspService.Server.Relay;
using AspService.Server.Sessions;
using AspService.Server.Tenancy;
using AspService.Server.Terminals;

namespace AspService.Server.Audit;

/// <summary>
/// Every action the tenant audit log can hold, from the features that write it: the constants of
/// <see cref="AuditActions"/>, <see cref="TerminalAudit"/> and <see cref="RelayAudit"/> (found by reflection, so a new
/// constant is listed without anyone remembering to) and the few that live beside their feature's code. The
/// administrators' audit screen offers these in its filter and labels each from the vocabulary (<c>audit.&lt;action&gt;</c>).
/// </summary>
public static class AuditCatalog
{
    /// <summary>The classes whose string constants are all audit actions.</summary>
    public static readonly IReadOnlyList<Type> ActionClasses = [typeof(AuditActions), typeof(TerminalAudit), typeof(RelayAudit)];

    public static IReadOnlyList<string> All { get; } =
    [
        .. ActionClasses.SelectMany(Constants),
        PolicyStore.ChangedAction,
        TenantSelfEndpoints.EgressChanged,
        CertificateRotation.ExpiredUnrenewed,
        CertificateRotation.CaRolledOver,
    ];

    public static bool IsKnown(string? action) => action is not null && All.Contains(action, StringComparer.Ordinal);

    /// <summary>The public string constants of a class.</summary>
    public static IEnumerable<string> Constants(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);
    }
}
