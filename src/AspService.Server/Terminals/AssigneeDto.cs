namespace AspService.Server.Terminals;

public sealed record AssigneeDto(Guid UserId, string? Email, string? DisplayName);
