using AspService.Identity;
using Microsoft.AspNetCore.Identity;

namespace AspService.Server.Identity;

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
