namespace AspService.Policy;

/// <summary>Why a day has no telework window.</summary>
public enum PolicyCalendarClosure
{
    None,
    Weekday,
    Holiday,
    YearEnd,
    ExtraClosedDay,
}
