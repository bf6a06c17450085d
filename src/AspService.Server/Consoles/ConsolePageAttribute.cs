namespace AspService.Server.Consoles;

/// <summary>Marks a console page (Razor Pages endpoint); the console user and security headers key on it.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ConsolePageAttribute : Attribute;
