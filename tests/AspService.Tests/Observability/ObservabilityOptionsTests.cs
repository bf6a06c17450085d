using AspService.Server.Observability;
using AspService.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace AspService.Tests.Observability;

public sealed class ObservabilityOptionsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("http://127.0.0.1:9464")]
    [InlineData("http://+:9464")]
    [InlineData("http://localhost:0")]
    [InlineData("http://[::1]:9464")]
    public void Accepts_an_http_listener_of_its_own(string? listen) =>
        Assert.Null(ObservabilityOptions.Problem(listen, "http://localhost:5080", "https://localhost:5443"));

    [Theory]
    [InlineData("https://127.0.0.1:9464")]
    [InlineData("127.0.0.1:9464")]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://127.0.0.1:9464/metrics")]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://0.0.0.0:5443")]
    [InlineData("http://+:8080")]
    public void Refuses_a_listener_that_is_not_its_own_http_port(string listen) =>
        Assert.NotNull(ObservabilityOptions.Problem(listen, "http://localhost:5080;http://+:8080", "https://localhost:5443"));

    [Fact]
    public void The_host_does_not_start_with_metrics_on_the_web_port()
    {
        using var app = new AppFactory(settings: new() { ["urls"] = "http://127.0.0.1:5080", ["Observability:MetricsListen"] = "http://127.0.0.1:5080" });
        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());
        Assert.Contains("MetricsListen", error.Message, StringComparison.Ordinal);
    }
}
