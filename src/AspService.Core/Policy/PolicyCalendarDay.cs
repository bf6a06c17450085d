namespace AspService.Policy;

/// <summary>One JST day of a policy's calendar: whether connections are allowed, in which window, and why not.</summary>
public sealed record PolicyCalendarDay(DateOnly Date, bool Allowed, TimeSpan From, TimeSpan Until, PolicyCalendarClosure Closure, string? HolidayName);
