namespace AspService.Policy;

/// <summary>
/// Which days a policy lets people connect, for a preview of the coming weeks: the same rules as
/// <see cref="PolicyEvaluator"/> for the weekday, public holidays, 年末年始 and the municipality's own closed days
/// (a window that crosses midnight belongs to the day it starts on, as there).
/// </summary>
public static class PolicyCalendar
{
    public static IReadOnlyList<PolicyCalendarDay> Days(TeleworkPolicy policy, DateOnly first, int count)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var days = new List<PolicyCalendarDay>(count);
        for (var i = 0; i < count; i++)
        {
            var date = first.AddDays(i);
            var office = OfficeCalendar.Check(date);
            var closure = !policy.AllowedWeekdays.Contains(date.DayOfWeek) ? PolicyCalendarClosure.Weekday
                : policy.AllowOnClosedDays ? PolicyCalendarClosure.None
                : (office.Reasons & OfficeClosedReasons.YearEnd) != 0 ? PolicyCalendarClosure.YearEnd
                : (office.Reasons & OfficeClosedReasons.Holiday) != 0 ? PolicyCalendarClosure.Holiday
                : (policy.ExtraClosedDays?.Contains(date) ?? false) ? PolicyCalendarClosure.ExtraClosedDay
                : PolicyCalendarClosure.None;
            days.Add(new PolicyCalendarDay(date, closure == PolicyCalendarClosure.None, policy.AllowedFrom, policy.AllowedUntil, closure,
                office.Holiday?.Name));
        }

        return days;
    }
}
