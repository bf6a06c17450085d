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
            .WithSummary("Office agent: control connection (WebSocket)");
        relay.MapGet("/offices", async (HttpContext http, Broker broker, CancellationToken ct) =>
        {
            var (user, problem) = await broker.CallerAsync(http, ct);
            return problem ?? TypedResults.Ok(await broker.OfficesAsync(user!.Id, ct));
        }).WithSummary("Home agent: the office terminals assigned to the signed-in user");
        relay.MapPost("/sessions", async (HttpContext http, Broker broker, CancellationToken ct) =>
        {
            var (user, problem) = await broker.CallerAsync(http, ct);
            return problem ?? await JsonBody.WithAsync<Broker.SessionRequest>(http, b => broker.RequestAsync(http, user!, b, ct), ct);
        }).WithSummary("Home agent: request a session (policy check, single-use ticket)");
        relay.MapGet("/sessions/{id:guid}", async (HttpContext http, Broker broker, Guid id, CancellationToken ct) =>
        {
            var (user, problem) = await broker.CallerAsync(http, ct);
            return problem ?? await broker.StatusAsync(user!.Id, id, ct);
        }).WithSummary("Home agent: the state and end reason of one of the user's sessions (the raw tunnel carries no close reason)");
        relay.MapGet("/data", (HttpContext http, DataEndpoint data) => data.RunAsync(http))
            .WithSummary("Either agent: a session's data stream (WebSocket)");
        return app;
    }
}
