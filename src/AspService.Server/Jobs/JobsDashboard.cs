using AspService.Server.Identity;
using Hangfire;
using Hangfire.Dashboard;

namespace AspService.Server.Jobs;

/// <summary>
/// The Hangfire dashboard at /ops/jobs. The endpoint requires the operator policy (so anonymous and tenant
/// users get 401/403, and the tenant guard answers 404 on tenant hosts and paths because the endpoint is not
/// tenant-scoped). Operators without the administrator flag see it read-only, and any change (trigger,
/// requeue, delete) is refused with 403. The storage connection string is never shown.
/// </summary>
public static class JobsDashboard
{
    public const string Path = "/ops/jobs";

    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = new DashboardOptions
        {
            AppPath = "/ops/",
            DashboardTitle = "AspService ジョブ",
            DisplayStorageConnectionString = false,
            Authorization = [],
            AsyncAuthorization = [new OperatorDashboardAuthorization()],
            IsReadOnlyFunc = context => !IsAdministrator(context),
            TimeZoneResolver = new DefaultTimeZoneResolver(),
        };

        // Built on first request, not at start: the storage (a database on SQL Server/PostgreSQL) is opened lazily
        // so a web node starts, and reports via /readyz, even while the database is unreachable.
        var dashboard = new Lazy<RequestDelegate>(() =>
        {
            var builder = app.CreateApplicationBuilder()
                .UsePathBase(Path)
                .UseMiddleware<AspNetCoreDashboardMiddleware>(app.ServiceProvider.GetRequiredService<JobStorage>(), options, DashboardRoutes.Routes);
            // A path the dashboard does not know falls through to here: 404, not the framework's end-of-pipeline 500.
            builder.Run(context => Hosting.Problems.NotFound().ExecuteAsync(context));
            return builder.Build();
        });
        app.Map(Path + "/{**path}", context => dashboard.Value(context))
            .RequireAuthorization(OperatorAuth.Policy)
            .ExcludeFromDescription();
        return app;
    }

    internal static bool IsAdministrator(DashboardContext context) =>
        context.GetHttpContext().User.HasClaim(OperatorAuth.AdminClaim, "true");

    /// <summary>Reading is for every operator (the endpoint policy); anything but GET/HEAD only for administrators.</summary>
    private sealed class OperatorDashboardAuthorization : IDashboardAsyncAuthorizationFilter
    {
        public Task<bool> AuthorizeAsync(DashboardContext context)
        {
            var http = context.GetHttpContext();
            if (http.User.Identity?.IsAuthenticated != true || !http.User.IsInRole("Operator"))
            {
                return Task.FromResult(false);
            }

            return Task.FromResult(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || IsAdministrator(context));
        }
    }
}
