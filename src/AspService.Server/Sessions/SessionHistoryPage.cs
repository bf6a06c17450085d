namespace AspService.Server.Sessions;

public sealed record SessionHistoryPage(int Total, int Page, int PageSize, IReadOnlyList<SessionHistoryRow> Rows)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
