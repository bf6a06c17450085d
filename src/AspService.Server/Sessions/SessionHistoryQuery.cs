namespace AspService.Server.Sessions;

/// <summary>Filter of the administrators' session history: one staff member or all, JST days (inclusive), a page.</summary>
public sealed record SessionHistoryQuery(Guid? UserId, DateOnly? From, DateOnly? To, int Page = 1, int PageSize = 50);
