using System.Reflection;
using AspService.Common;
using AspService.Data;
using AspService.Server.Hosting;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NetArchTest.Rules;
using Xunit.Abstractions;

namespace AspService.Tests.Architecture;

/// <summary>
/// The rules of issue 13 that keep features easy to change, checked on the compiled assemblies: Core knows no web or
/// database framework, use cases know no HTTP (only adapters do), features meet each other through use cases and
/// records, not through another feature's HTTP adapters, and options classes live in files of their own.
/// </summary>
public sealed class ArchitectureTests(ITestOutputHelper output)
{
    private static readonly Assembly Core = typeof(Outcome).Assembly;
    private static readonly Assembly Data = typeof(DatabaseOptions).Assembly;
    private static readonly Assembly Server = typeof(IModule).Assembly;

    /// <summary>The feature folders of the server (the same names as in Core and Data).</summary>
    private static readonly string[] Features =
        ["Audit", "Billing", "Cli", "Identity", "Mail", "Pki", "Policy", "Relay", "Sessions", "Tenancy", "Terminals", "Tokens"];

    private static readonly string[] HttpTypes =
    [
        "Microsoft.AspNetCore.Http.IResult",
        "Microsoft.AspNetCore.Http.HttpResults",
        "Microsoft.AspNetCore.Http.HttpContext",
        "Microsoft.AspNetCore.Http.HttpRequest",
        "Microsoft.AspNetCore.Http.HttpResponse",
        "Microsoft.AspNetCore.Http.TypedResults",
        "Microsoft.AspNetCore.Http.Results",
        "System.Security.Claims.ClaimsPrincipal",
    ];

    /// <summary>
    /// Where HTTP is spoken: route maps, WebSocket and socket handlers, middleware, handlers, filters, pages, and the
    /// modules that wire them.
    /// </summary>
    private static readonly string[] AdapterSuffixes = ["Endpoints", "Endpoint", "Middleware", "Handler", "Filter", "Listener", "Module"];

    [Fact]
    public void Core_ReferencesNoWebOrDatabaseFramework()
    {
        var result = Types.InAssembly(Core).Should()
            .NotHaveDependencyOnAny("Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "AspService.Data", "AspService.Server")
            .GetResult();
        Assert.True(result.IsSuccessful, Names(result.FailingTypes));
    }

    [Fact]
    public void Data_SpeaksNoHttp()
    {
        var result = Types.InAssembly(Data).Should().NotHaveDependencyOnAny(HttpTypes).GetResult();
        Assert.True(result.IsSuccessful, Names(result.FailingTypes));
    }

    [Fact]
    public void UseCases_SpeakNoHttp()
    {
        var result = Types.InAssembly(Server).That().ResideInNamespaceMatching(FeatureNamespaces())
            .Should().NotHaveDependencyOnAny(HttpTypes).GetResult();
        var offenders = (result.FailingTypes ?? []).Select(t => t.ReflectionType).Where(t => !IsAdapter(Outermost(t)))
            .Select(t => Outermost(t).FullName!).Distinct().Order(StringComparer.Ordinal).ToList();
        output.WriteLine($"{Types.InAssembly(Server).That().ResideInNamespaceMatching(FeatureNamespaces()).GetTypes().Count()} types in {Features.Length} features; {offenders.Count} use cases speak HTTP");
        Assert.True(offenders.Count == 0, "use cases that speak HTTP: " + string.Join(", ", offenders));
    }

    [Fact]
    public void UseCases_MeetOtherFeaturesThroughUseCases_NotThroughTheirAdapters()
    {
        var adapters = Server.GetTypes().Where(t => IsAdapter(t) && Feature(t) is not null).ToList();
        var offenders = new List<string>();
        foreach (var adapter in adapters)
        {
            var result = Types.InAssembly(Server).That().ResideInNamespaceMatching(FeatureNamespaces())
                .Should().NotHaveDependencyOnAny(adapter.FullName!).GetResult();
            offenders.AddRange((result.FailingTypes ?? []).Select(t => Outermost(t.ReflectionType))
                .Where(t => !IsAdapter(t) && Feature(t) != Feature(adapter))
                .Select(t => $"{t.FullName} → {adapter.Name}"));
        }

        Assert.True(offenders.Count == 0, string.Join(", ", offenders.Distinct()));
    }

    [Fact]
    public void OptionsClasses_LiveInFilesOfTheirOwn()
    {
        var result = Types.InAssemblies([Core, Data, Server]).That().HaveNameEndingWith("Options").And().AreNotNested()
            .Should().HaveSourceFileNameMatchingName().GetResult();
        Assert.True(result.IsSuccessful, Names(result.FailingTypes));
    }

    private static string FeatureNamespaces() => @"^AspService\.Server\.(" + string.Join('|', Features) + @")(\.|$)";

    private static string? Feature(Type type) =>
        type.Namespace?.Split('.') is ["AspService", "Server", var feature, ..] && Features.Contains(feature) ? feature : null;

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private static bool IsAdapter(Type type) =>
        typeof(PageModel).IsAssignableFrom(type) || AdapterSuffixes.Any(s => type.Name.EndsWith(s, StringComparison.Ordinal));

    private static string Names(IEnumerable<NetArchTest.Rules.IType>? types) =>
        string.Join(", ", (types ?? []).Select(t => t.FullName));
}
