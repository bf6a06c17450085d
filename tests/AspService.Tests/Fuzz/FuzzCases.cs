using System.Globalization;
using System.Text;

namespace AspService.Tests.Fuzz;

/// <summary>
/// Seeded generation of hostile requests against routes: malformed paths, headers and bodies. Pure: the same seed,
/// routes and callers give the same requests, so a failing case is reproduced by its seed and printed target.
/// </summary>
public sealed class FuzzCases(int seed, string tenantCode, string otherTenantCode, string baseDomain, IReadOnlyList<Guid> knownIds, IReadOnlyList<FuzzIdentity> callers)
{
    public const int BigBodyBytes = 10 * 1024 * 1024;
    private readonly Random _rng = new(seed);

    /// <summary>Segments inserted into paths: NUL (raw and double-encoded), overlong UTF-8, dot segments, encoded separators.</summary>
    public static readonly string[] PathPoison =
    [
        "%00", "%2500", "a%2500b", "%C0%AE%C0%AE", "%C0%AF", "%E0%80%AF", "%FF%FE", "..", ".", "%2e%2e", "%2E", "%2F", "%2f..%2f",
        "%5C", "..%5C..", "%", "%zz", "%u002e", ";x=1", "~", "*", "a:b", "%E3%81%82", "%ED%A0%80", "%F4%90%80%80", "%7F", "%0D%0A",
    ];

    private static readonly string[] Queries =
    [
        "?page=%00&pageSize=-1", "?page=99999999999999999999&pageSize=0", "?state=%FF%FE", "?month=2026-13", "?q=%2500",
        "?a=1&a=2&a=3", "?from=9999-99-99&to=0000-00-00", "?pageSize=1e9&page=NaN", "?=&&=", "?user_code=%00", "?take=-2147483649",
    ];

    private static readonly string[] Fields =
    [
        "email", "password", "code", "name", "role", "displayName", "userId", "officeTerminalId", "reason", "adminEmail", "token",
        "month", "allowedSourceNetworks", "idleTimeout", "kind", "ownerUserId", "csr", "planId", "organizationName", "phone",
    ];

    private static readonly string[] WrongValues =
    [
        "123", "-0", "1e400", "true", "null", "[]", "{}", "[[[]]]", "\"\\u0000\"", "\"\\ud800\"", "\"24:00\"", "\"-1.00:00:00\"",
        "\"00000000-0000-0000-0000-000000000000\"", "\"not-a-guid\"", "\"%00\"", "\"../../etc/passwd\"", "\"' OR 1=1 --\"",
        "\"<script>alert(1)</script>\"", "\"ＡＢＣ１２３\"", "\"0.0.0.0/0\"", "\"999.999.999.999/99\"", "18446744073709551616",
    ];

    public int Seed => seed;

    /// <summary>For one route: a baseline, path, query and header mutations, and body mutations where a body belongs.</summary>
    public IEnumerable<FuzzRequest> For(FuzzRoute route, int bigBodies)
    {
        foreach (var method in route.Methods)
        {
            var hasBody = method is "POST" or "PUT" or "PATCH" or "DELETE";
            yield return Request("baseline", method, route, Path(route), Pick(callers), hasBody ? Json("{}") : null);
            for (var i = 0; i < 3; i++)
            {
                yield return Request("path", method, route, Poison(Path(route)), Pick(callers), null);
            }

            yield return Request("path-huge", method, route, Insert(Path(route), new string('a', _rng.Next(5_000, 20_000))), Pick(callers), null);
            yield return Request("path-param", method, route, route.Fill((_, _) => Pick(PathPoison)), Pick(callers), null);
            yield return Request("query", method, route, Path(route) + Pick(Queries), Pick(callers), null);
            yield return Request("header", method, route, Path(route), Pick(callers) with { Headers = [.. Pick(callers).Headers, .. HostileHeaders()] }, null);
            yield return Request("cross-tenant", method, route, Path(route), Pick(callers), null, host: otherTenantCode + "." + baseDomain);
            if (hasBody || _rng.Next(4) == 0)
            {
                foreach (var body in Bodies(bigBodies > 0))
                {
                    yield return Request(body.Kind, method, route, Path(route), Pick(callers), body);
                }
            }
        }
    }

    private FuzzRequest Request(string kind, string method, FuzzRoute route, string target, FuzzIdentity caller, FuzzBody? body, string? host = null)
    {
        var headers = new List<(string, string)> { ("Host", host ?? "localhost"), ("User-Agent", "aspservice-fuzz") };
        headers.AddRange(caller.Headers);
        if (body is not null)
        {
            headers.Add(("Content-Type", body.ContentType));
        }

        // The relay's upgrade endpoints also get a WebSocket handshake now and then (with no terminal behind it on the web listener).
        if (route.Template.StartsWith("/api/v1/relay", StringComparison.Ordinal) && _rng.Next(2) == 0)
        {
            headers.AddRange([("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")]);
        }

        return new FuzzRequest($"{kind} as {caller.Name}", method, target, headers, body?.Bytes);
    }

    /// <summary>The route's path with plausible values (a tenant route gets this tenant's prefix).</summary>
    private string Path(FuzzRoute route)
    {
        var path = route.Fill((name, constraint) => constraint.StartsWith("guid", StringComparison.Ordinal)
            ? (knownIds.Count > 0 && _rng.Next(2) == 0 ? Pick(knownIds) : Guid.NewGuid()).ToString()
            : name switch
            {
                "key" => _rng.Next(3) == 0 ? otherTenantCode : tenantCode,
                "month" => "2026-11",
                _ => "x",
            });
        return route.TenantScoped && !route.TerminalOnly ? "/t/" + tenantCode + path : path;
    }

    private string Poison(string path) => _rng.Next(3) switch
    {
        0 => Insert(path, Pick(PathPoison)),
        1 => path.TrimEnd('/') + Pick(PathPoison),
        _ => Insert(Insert(path, Pick(PathPoison)), Pick(PathPoison)),
    };

    private string Insert(string path, string segment)
    {
        var parts = path.Split('/').ToList();
        parts.Insert(_rng.Next(1, parts.Count + 1), segment);
        return string.Join('/', parts);
    }

    private IEnumerable<(string, string)> HostileHeaders()
    {
        var pick = _rng.Next(12);
        return pick switch
        {
            0 => [("X-Forwarded-For", "203.0.113.9, garbage, ::ffff:1.2.3.4, %00")],
            1 => [("X-Forwarded-For", string.Join(", ", Enumerable.Range(0, 500).Select(i => "10.0." + (i / 250) + "." + (i % 250))))],
            2 => [("X-Forwarded-Host", otherTenantCode + "." + baseDomain), ("X-Forwarded-Proto", "gopher")],
            3 => [("X-Forwarded-Prefix", "/t/" + otherTenantCode), ("X-Original-URL", "/api/v1/ops/tenants")],
            4 => [("Cookie", ".AspNetCore.Cookies=" + Convert.ToBase64String(Bytes(300)) + "; .AspNetCore.Antiforgery.x=%00")],
            5 => [("Cookie", string.Join("; ", Enumerable.Range(0, 200).Select(i => "c" + i + "=" + i)))],
            6 => [("X-Oversized", new string('x', 40_000))],
            7 => [("Authorization", "Bearer " + Convert.ToBase64String(Bytes(600)))],
            8 => [("Authorization", "Basic %00%00")],
            9 => [("Accept-Language", "ja;q=abc, *;q=2, " + new string('z', 300))],
            10 => [("Content-Type", "multipart/form-data"), ("Transfer-Encoding", "chunked, identity")],
            _ => [("Accept", "application/json;q=NaN"), ("If-None-Match", "\"\u00ff\""), ("Range", "bytes=999999999-1")],
        };
    }

    private IEnumerable<FuzzBody> Bodies(bool big)
    {
        yield return new FuzzBody("body-utf8", "application/json", [0x7B, 0x22, 0x65, 0x6D, 0x61, 0x69, 0x6C, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0xC0, 0xAF, 0x22, 0x7D]);
        yield return _rng.Next(2) == 0
            ? Json(new string('[', 5000) + new string(']', 5000), "body-deep")
            : Json(string.Concat(Enumerable.Repeat("{\"a\":", 3000)) + "1" + new string('}', 3000), "body-deep");
        yield return Json("{" + string.Join(",", Enumerable.Range(0, 4).Select(_ => $"\"{Pick(Fields)}\":{Pick(WrongValues)}")) + "}", "body-types");
        yield return Json(Pick(["null", "42", "\"x\"", "[]", "", "{", "}}}", "{\"a\":1,\"a\":2}", "{\"email\":\"" + new string('あ', 60_000) + "\"}"]), "body-shape");
        yield return _rng.Next(2) == 0
            ? new FuzzBody("body-form", "application/x-www-form-urlencoded", Encoding.ASCII.GetBytes("user_code=%ZZ&&=&grant_type=%00&client_id=" + new string('a', 5000)))
            : new FuzzBody("body-type", Pick(["text/plain", "application/xml", "application/json; charset=utf-7", "multipart/form-data; boundary=x"]), Bytes(2000));
        if (big)
        {
            var bytes = new byte[BigBodyBytes];
            Encoding.ASCII.GetBytes("{\"email\":\"").CopyTo(bytes, 0);
            bytes.AsSpan(10, bytes.Length - 12).Fill((byte)'x');
            bytes[^2] = (byte)'"';
            bytes[^1] = (byte)'}';
            yield return new FuzzBody("body-10mb", "application/json", bytes);
        }
    }

    private static FuzzBody Json(string text, string kind = "body") => new(kind, "application/json", Encoding.UTF8.GetBytes(text));

    private byte[] Bytes(int n)
    {
        var bytes = new byte[n];
        _rng.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    public override string ToString() => seed.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A body with its declared content type.</summary>
public sealed record FuzzBody(string Kind, string ContentType, byte[] Bytes);
