using System.Net;
using System.Text.Json;

namespace AspService.Tests.Infrastructure;

public static class HttpAssert
{
    /// <summary>Asserts a problem+json response with the status, and returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        return json;
    }

    /// <summary>Asserts a problem+json response with the status and the problem type (its last path segment).</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var json = await ProblemAsync(response, status);
        Assert.EndsWith("/" + type, json.GetProperty("type").GetString());
        return json;
    }

    /// <summary>The messages of one field in a problem's <c>errors</c>.</summary>
    public static string[] FieldErrors(JsonElement problem, string field) =>
        problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var list)
            ? [.. list.EnumerateArray().Select(e => e.GetString()!)]
            : [];
}
