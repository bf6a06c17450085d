using System.Net;
using AspService.Policy;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using AspService.Server.Hosting;
using AspService.Server.Pki;

namespace AspService.Server.Relay;

/// <summary>The relay on the agent listener (docs/relay-protocol.md): control connections, the broker, data streams.</summary>
public static class RelayEndpoints
{
    /// <summary>How long the first data stream of a session waits for the second.</summary>
    public static readonly TimeSpan PairingWait = TimeSpan.FromSeconds(60);

    public static IEndpointRouteBuilder MapRelayEndpoints(this IEndpointRouteBuilder app)
    {
        var relay = app.MapTerminalGroup("/api/v1/relay").WithTags("Relay (mTLS)");
        relay.MapGet("/control", (HttpContext http, ControlEndpoint control) => control.RunAsync(http))
            .WithSummary("Office agent: control connection (WebSocket)").WithName("RelayControl");
        relay.MapGet("/offices", async (HttpContext http, Broker broker, CancellationToken ct) =>
        {
            var caller = await CallerAsync(http, broker, ct);
            return caller.Failure is { } refused ? (IResult)refused.ToProblem() : TypedResults.Ok(await broker.OfficesAsync(caller.Value!.Id, ct));
        })
            .WithSummary("Home agent: the office terminals assigned to the signed-in user").WithName("ListRelayOffices")
            .Produces<IReadOnlyList<Broker.OfficeDto>>()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        relay.MapPost("/sessions", async (HttpContext http, Broker broker, CancellationToken ct) =>
        {
            var caller = await CallerAsync(http, broker, ct);
            return caller.Failure is { } refused ? refused.ToProblem() : await JsonBody.WithAsync<Broker.SessionRequest>(http, async b =>
                Answer(await broker.RequestAsync(http.Terminal()!, caller.Value!, b, http.Connection.RemoteIpAddress ?? IPAddress.None, ct)), ct);
        }).WithSummary("Home agent: request a session (policy check, single-use ticket)").WithName("RequestRelaySession")
            .Accepts<Broker.SessionRequest>("application/json").Produces<Broker.SessionOffer>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        relay.MapGet("/sessions/{id:guid}", async (HttpContext http, Broker broker, Guid id, CancellationToken ct) =>
        {
            var caller = await CallerAsync(http, broker, ct);
            return caller.Failure is { } refused ? (IResult)refused.ToProblem() : (await broker.StatusAsync(caller.Value!.Id, id, ct)).ToOk();
        })
            .WithSummary("Home agent: the state and end reason of one of the user's sessions (the raw tunnel carries no close reason)")
            .WithName("GetRelaySessionStatus").Produces<Broker.SessionStatus>()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        relay.MapGet("/data", (HttpContext http, DataEndpoint data) => data.RunAsync(http))
            .WithSummary("Either agent: a session's data stream (WebSocket)").WithName("RelayData");
        return app;
    }

    /// <summary>The signed-in user of the bearer token on this home terminal, or why not.</summary>
    private static Task<Common.Outcome<Data.Identity.TenantUser>> CallerAsync(HttpContext http, Broker broker, CancellationToken ct) =>
        broker.CallerAsync(http.Terminal()!, http.Request.Headers.Authorization.ToString(), ct);

    private static IResult Answer(SessionRequestOutcome outcome) => outcome switch
    {
        { Offer: { } offer } => TypedResults.Created($"/api/v1/sessions/{offer.SessionId}", offer),
        { Denial: { } decision } => Denied(decision),
        _ => outcome.Failure!.ToProblem(),
    };

    /// <summary>The policy's refusal with every reason, in the caller's language (at the broker and again at pairing).</summary>
    public static ProblemHttpResult Denied(PolicyDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = RelayText.Get("session_denied"),
            Type = "https://aspservice.example/problems/session-denied",
        };
        problem.Extensions["reasons"] = decision.Reasons.Select(r => new Broker.Denial(r.Code.ToString(), r.Text.For(Text.IsEnglish))).ToList();
        return TypedResults.Problem(problem);
    }

    /// <summary>
    /// Long-lived relay connections (a control connection lasts days) must not keep the request's DI scope with its
    /// DbContexts and tracked entities: once upgraded, the scope is disposed and replaced by an empty one, so whatever
    /// runs after the endpoint (the result, middleware unwinding) still finds a provider.
    /// </summary>
    public static async Task ReleaseRequestScopeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Features.Get<IServiceProvidersFeature>() is not IAsyncDisposable used)
        {
            return;
        }

        var factory = http.RequestServices.GetRequiredService<IServiceScopeFactory>();
        await used.DisposeAsync();
        var empty = factory.CreateAsyncScope();
        http.Response.RegisterForDisposeAsync(empty);
        http.RequestServices = empty.ServiceProvider;
    }
}
