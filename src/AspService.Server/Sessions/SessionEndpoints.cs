using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Relay;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspService.Server.Sessions;

public static class SessionEndpoints
{
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapTenantGroup("/api/v1/sessions").WithTags("Sessions").RequireAuthorization(TenantAuth.AdminPolicy);
        admin.MapGet("/", async (SessionViews v, Guid? userId, string? state, int? skip, int? take, CancellationToken ct) =>
            (await v.ListAsync(userId, state, skip ?? 0, take ?? 50, ct)).ToOk()).WithSummary("Live and past relayed sessions")
            .WithName("ListSessions").Produces<SessionViews.SessionPage>().ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapGet("/{id:guid}", async (SessionViews v, Guid id, CancellationToken ct) => (await v.GetAsync(id, ct)).ToOk())
            .WithName("GetSession").Produces<SessionViews.SessionDto>().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/{id:guid}/disconnect", (HttpContext http, DisconnectSession disconnect, Guid id, CancellationToken ct) =>
            DisconnectAsync(disconnect, HttpActor.Of(http.User, HttpActor.Client(http)), id, ct)).WithSummary("Force-disconnect a live session (closed within 2 s)")
            .WithName("DisconnectSession").Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        app.MapTenantGroup("/api/v1/me/sessions").WithTags("Sessions").RequireAuthorization(TenantAuth.UserPolicy)
            .MapGet("/", async (HttpContext http, SessionViews v, int? skip, int? take, CancellationToken ct) =>
                TypedResults.Ok(await v.MineAsync(Guid.Parse(HttpActor.Id(http.User)), skip ?? 0, take ?? 50, ct))).WithSummary("My session history")
            .WithName("ListMySessions").Produces<SessionViews.SessionPage>();
        return app;
    }

    /// <summary>The API's answer to a force-disconnect (the use case <see cref="DisconnectSession"/> does the work).</summary>
    private static async Task<Results<Accepted, ProblemHttpResult>> DisconnectAsync(DisconnectSession disconnect, Actor? actor, Guid id, CancellationToken ct)
    {
        var outcome = actor is null ? new DisconnectSessionOutcome(DisconnectSessionError.NotFound)
            : await disconnect.RunAsync(new DisconnectSessionCommand(id), actor, ct);
        return outcome.Error switch
        {
            null => TypedResults.Accepted($"/api/v1/sessions/{id}"),
            DisconnectSessionError.NotLive => Problems.Titled(StatusCodes.Status409Conflict, "session-not-live", RelayText.Get("session_not_live")),
            _ => SessionViews.NotFound.ToProblem(),
        };
    }
}
