using System.Globalization;
using AspService.Policy;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Tenancy;

namespace AspService.Server.Policy;

/// <summary>The telework policy's API: staff read it, admins replace it (the body and If-Match read here, saved by <see cref="PolicyStore"/>).</summary>
public static class PolicyEndpoints
{
    public static IEndpointRouteBuilder MapPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        var policy = app.MapTenantGroup("/api/v1/policy").WithTags("Telework policy");
        // Staff may read the rules they work under; only admins change them.
        policy.MapGet("/", async (PolicyStore store, CancellationToken ct) => TypedResults.Ok(await store.GetAsync(ct)))
            .RequireAuthorization(TenantAuth.UserPolicy).WithSummary("The telework policy")
            .WithName("GetPolicy").Produces<PolicyStore.PolicyView>();
        policy.MapPut("/", PutAsync)
            .RequireAuthorization(TenantAuth.AdminPolicy).WithSummary("Replace the telework policy")
            .WithName("ReplacePolicy").Accepts<TeleworkPolicy>("application/json").Produces<PolicyStore.PolicyView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>Replace the policy: the JSON body, an optional If-Match with the version read.</summary>
    private static async Task<IResult> PutAsync(HttpContext http, PolicyStore store, CancellationToken ct)
    {
        var (policy, problem) = await JsonBody.ReadAsync<TeleworkPolicy>(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var ifMatch = http.Request.Headers.IfMatch.ToString().Trim('"', ' ');
        int? expected = int.TryParse(ifMatch, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
            : ifMatch.Length > 0 ? -1 : null;
        var client = http.Connection.RemoteIpAddress?.ToString();
        var actor = HttpActor.Of(http.User, client) ?? new Actor(Guid.Empty, client);
        // An API client states the whole document it wants; the confirmation of a weakening is the console's step
        // (docs/decisions/0092-policy-screen.md).
        var outcome = await store.SaveAsync(new PolicySaveCommand(policy!, expected, WeakeningConfirmed: true), actor, ct);
        return outcome switch
        {
            { View: { } view } => TypedResults.Ok(view),
            { Conflict: true } => Problems.Of(StatusCodes.Status409Conflict, "concurrent_change"),
            _ => Problems.Fields(outcome.Errors.GroupBy(e => e.Field)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message.For(Text.IsEnglish)).ToArray())),
        };
    }
}
