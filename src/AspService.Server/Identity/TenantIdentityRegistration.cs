using AspService.Data.Identity;
using AspService.Data.TenantData;
using AspService.Identity;
using AspService.Server.Audit;
using AspService.Server.Mail;
using AspService.Server.Tenancy.Provisioning;
using Microsoft.AspNetCore.Identity;

namespace AspService.Server.Identity;

public static class TenantIdentityRegistration
{
    /// <summary>
    /// Tenant accounts: a second Identity registration whose stores sit on the request's scoped
    /// <see cref="TenantDbContext"/> (itself bound to the resolved tenant), so each request's UserManager
    /// can only ever see its own tenant's users. No container per tenant. Operator Identity is untouched.
    /// </summary>
    public static IServiceCollection AddTenantIdentity(this IServiceCollection services)
    {
        services.AddOptions<TenantIdentityOptions>().BindConfiguration(TenantIdentityOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Registered before AddIdentityCore so it replaces (TryAdd) the composition-rule validator for tenant users only.
        services.AddScoped<IPasswordValidator<TenantUser>, RulesPasswordValidator<TenantUser>>();
        services.AddIdentityCore<TenantUser>()
            .AddRoles<TenantRole>()
            .AddEntityFrameworkStores<TenantDbContext>();

        services.AddScoped<AuditLog>();
        services.AddScoped<AuditQuery>();
        services.AddScoped<TenantLinks>();
        services.AddScoped<TotpKeys>();
        services.AddScoped<TenantSignIn>();
        services.AddScoped<Reauthentication>();
        services.AddScoped<ChangeOwnPassword>();
        services.AddScoped<PendingTotpKeys>();
        services.AddScoped<BeginTotpReenrolment>();
        services.AddScoped<ConfirmTotpReenrolment>();
        services.AddScoped<RenewRecoveryCodes>();
        services.AddScoped<TenantUsersAdmin>();
        services.AddScoped<StaffImport>();
        services.AddSingleton<ITenantStep, InviteFirstAdminStep>();
        services.AddTenantAuthentication();
        // OpenIddict logs protocol parameters (device and user codes) at Information: scrubbed at the source.
        services.AddSingleton<ILogger<OpenIddict.Server.OpenIddictServerDispatcher>, ScrubbedLogger<OpenIddict.Server.OpenIddictServerDispatcher>>();
        services.AddSingleton<ILogger<OpenIddict.Validation.OpenIddictValidationDispatcher>, ScrubbedLogger<OpenIddict.Validation.OpenIddictValidationDispatcher>>();
        services.AddMail();
        return services;
    }

    public static IEndpointRouteBuilder MapTenantIdentityFeature(this IEndpointRouteBuilder app) =>
        app.MapTenantIdentityEndpoints().MapAuditEndpoints();
}

/// <summary>The password rules (<see cref="PasswordRules"/>) as an Identity validator, for tenant users and operators alike.</summary>
public sealed class RulesPasswordValidator<TUser> : IPasswordValidator<TUser>
    where TUser : IdentityUser<Guid>
{
    public Task<IdentityResult> ValidateAsync(UserManager<TUser> manager, TUser user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        var errors = PasswordRules.Check(password, user.Email);
        return Task.FromResult(errors.Count == 0
            ? IdentityResult.Success
            : IdentityResult.Failed([.. errors.Select(e => new IdentityError { Code = e, Description = IdentityText.Get(e) })]));
    }
}
