using AspService.Agent.Output;

namespace AspService.Agent.Home;

/// <summary>Which assigned office terminal <c>connect [terminal]</c> means: by id or name; none given and only one: that one.</summary>
public static class OfficePick
{
    public static OfficeView Pick(IReadOnlyList<OfficeView> offices, string? wanted, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(offices);
        ArgumentNullException.ThrowIfNull(text);
        var names = string.Join(", ", offices.Select(o => o.Name));
        if (string.IsNullOrWhiteSpace(wanted))
        {
            return offices.Count switch
            {
                0 => throw NotFound(text.Get("no_offices")),
                1 => offices[0],
                _ => throw new AgentException(ExitCode.Usage, "usage", text.Get("office_choose", names)),
            };
        }

        wanted = wanted.Trim();
        if (Guid.TryParse(wanted, out var id))
        {
            return offices.FirstOrDefault(o => o.Id == id) ?? throw NotFound(text.Get("office_not_found", wanted, names));
        }

        var byName = offices.Where(o => string.Equals(o.Name, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        return byName.Count switch
        {
            1 => byName[0],
            0 => throw NotFound(offices.Count == 0 ? text.Get("no_offices") : text.Get("office_not_found", wanted, names)),
            _ => throw new AgentException(ExitCode.Usage, "usage", text.Get("office_ambiguous", wanted)),
        };
    }

    private static AgentException NotFound(string message) => new(ExitCode.OfficeNotFound, "office-not-found", message);
}
