using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AspService.Server.Tokens;

/// <summary>
/// A user code that is no longer valid (approved, denied, expired entry) is simply refused. Without this,
/// OpenIddict's reuse detection (meant for authorization codes and refresh tokens) treats a second look at
/// an approved user code as theft and revokes the tokens the agent has just received: anyone who knew the
/// printed link could sign the agent out (issue 12, defect 3). The handler runs just before that check.
/// </summary>
public sealed class UserCodeReplayHandler(IOpenIddictTokenManager tokens) : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseScopedHandler<UserCodeReplayHandler>()
            .SetOrder(OpenIddictServerHandlers.Protection.ValidateTokenEntry.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Principal is not { } principal || !principal.HasTokenType(TokenTypeIdentifiers.Private.UserCode) || string.IsNullOrEmpty(context.TokenId))
        {
            return;
        }

        var token = await tokens.FindByIdAsync(context.TokenId);
        if (token is null || !await tokens.HasStatusAsync(token, Statuses.Valid))
        {
            context.Reject(error: Errors.InvalidToken, description: TokenText.Get("user_code_invalid"));
        }
    }
}
