using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspService.Tests.Billing;

/// <summary>
/// A local stand-in for the few Stripe endpoints the sync uses, served by Kestrel on loopback so the real
/// Stripe.net client talks real HTTP to it. It checks the secret key, records every request (form fields and
/// Idempotency-Key), answers Stripe-shaped JSON, and keeps an idempotency cache like Stripe's: a repeated key
/// with the same request replays the first answer (with <c>Idempotent-Replayed: true</c>), a repeated key with
/// different parameters is a 400 <c>idempotency_error</c>. Failures can be injected per request.
/// </summary>
public sealed class StripeStandIn : IAsyncDisposable
{
    public const string SecretKey = "sk_test_standin_4eC39HqLyjWDarjtT1zdp7dc";

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<Recorded> _requests = [];
    private readonly Dictionary<string, (string Fingerprint, int Status, string Body)> _idempotency = new(StringComparer.Ordinal);
    private readonly List<Injected> _failures = [];
    private int _next;

    private StripeStandIn(WebApplication app)
    {
        _app = app;
    }

    public enum Failure
    {
        /// <summary>Answer an error without doing anything (Stripe saves no idempotent result then).</summary>
        RejectBeforeProcessing,

        /// <summary>Do the work and cache the answer, then drop the connection (the answer is lost on the way).</summary>
        DropAfterProcessing,
    }

    public sealed record Recorded(string Method, string Path, IReadOnlyDictionary<string, string> Form, string? IdempotencyKey, bool Replayed, int Status);

    public sealed class StandInInvoice
    {
        public required string Id { get; init; }

        public required string Customer { get; init; }

        public string Status { get; set; } = "draft";

        public List<(string Id, long Amount, string Description)> Items { get; } = [];

        public long Total => Items.Sum(i => i.Amount);
    }

    public Uri BaseAddress { get; private set; } = null!;

    public Dictionary<string, IReadOnlyDictionary<string, string>> Customers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, StandInInvoice> Invoices { get; } = new(StringComparer.Ordinal);

    /// <summary>Meter events by identifier; Stripe counts an identifier once.</summary>
    public Dictionary<string, IReadOnlyDictionary<string, string>> MeterEvents { get; } = new(StringComparer.Ordinal);

    public int DuplicateMeterIdentifiers { get; private set; }

    public IReadOnlyList<Recorded> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<StripeStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new StripeStandIn(app);
        app.Run(standIn.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.BaseAddress = new Uri(address);
        return standIn;
    }

    /// <summary>After <paramref name="after"/> more requests matching method and path, the next <paramref name="times"/> fail this way.</summary>
    public void Fail(string method, string path, Failure mode, int status = 500, string code = "api_error", int times = 1, bool? shouldRetry = null, int after = 0)
    {
        lock (_gate)
        {
            _failures.Add(new Injected(method, path, mode, status, code, shouldRetry) { Remaining = times, Skip = after });
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext ctx)
    {
        var method = ctx.Request.Method;
        var path = ctx.Request.Path.Value ?? "/";
        var body = await new StreamReader(ctx.Request.Body, Encoding.UTF8).ReadToEndAsync();
        var form = QueryHelpers.ParseQuery(body).ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal);
        var key = ctx.Request.Headers["Idempotency-Key"].FirstOrDefault();

        if (ctx.Request.Headers.Authorization.ToString() != "Bearer " + SecretKey)
        {
            Record(method, path, form, key, false, 401);
            await AnswerAsync(ctx, 401, Error("invalid_request_error", "api_key_invalid", "Invalid API Key provided."));
            return;
        }

        var fingerprint = method + " " + path + "?" + body;
        Injected? failure;
        (string Fingerprint, int Status, string Body)? seen = null;
        lock (_gate)
        {
            if (key is not null && _idempotency.TryGetValue(key, out var cachedAnswer))
            {
                seen = cachedAnswer;
            }

            // A replay is answered from the cache before anything can fail.
            failure = seen is null ? _failures.FirstOrDefault(f => f.Remaining > 0 && f.Method == method && f.Path == path) : null;
            if (failure is { Skip: > 0 })
            {
                failure.Skip--;
                failure = null;
            }
            else if (failure is not null)
            {
                failure.Remaining--;
            }
        }

        if (seen is { } first)
        {
            if (first.Fingerprint != fingerprint)
            {
                Record(method, path, form, key, false, 400);
                await AnswerAsync(ctx, 400, Error("idempotency_error", null, "Keys for idempotent requests can only be used with the same parameters they were first used with."));
                return;
            }

            ctx.Response.Headers["Idempotent-Replayed"] = "true";
            Record(method, path, form, key, true, first.Status);
            await AnswerAsync(ctx, first.Status, first.Body);
            return;
        }

        if (failure is { Mode: Failure.RejectBeforeProcessing })
        {
            if (failure.ShouldRetry is { } retry)
            {
                ctx.Response.Headers["Stripe-Should-Retry"] = retry ? "true" : "false";
            }

            var type = failure.Status >= 500 ? "api_error" : "invalid_request_error";
            Record(method, path, form, key, false, failure.Status);
            await AnswerAsync(ctx, failure.Status, Error(type, failure.Code, "Injected failure."));
            return;
        }

        var (status, answer) = Process(method, path, form);
        lock (_gate)
        {
            if (key is not null)
            {
                _idempotency[key] = (fingerprint, status, answer);
            }
        }

        if (failure is { Mode: Failure.DropAfterProcessing })
        {
            Record(method, path, form, key, false, 0);
            ctx.Abort();
            return;
        }

        Record(method, path, form, key, false, status);
        await AnswerAsync(ctx, status, answer);
    }

    private (int Status, string Body) Process(string method, string path, Dictionary<string, string> form)
    {
        lock (_gate)
        {
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            return (method, segments) switch
            {
                ("POST", ["v1", "customers"]) => CreateCustomer(form),
                ("POST", ["v1", "billing", "meter_events"]) => CreateMeterEvent(form),
                ("POST", ["v1", "invoices"]) => CreateInvoice(form),
                ("POST", ["v1", "invoiceitems"]) => CreateInvoiceItem(form),
                ("POST", ["v1", "invoices", var id, "finalize"]) => Transition(id, "draft", i => i.Total == 0 ? "paid" : "open"),
                ("POST", ["v1", "invoices", var id, "void"]) => Transition(id, "open", _ => "void"),
                ("DELETE", ["v1", "invoices", var id]) => DeleteDraft(id),
                _ => (404, Error("invalid_request_error", "resource_missing", "Unrecognized request URL.")),
            };
        }
    }

    private (int, string) CreateCustomer(Dictionary<string, string> form)
    {
        var id = NextId("cus");
        Customers[id] = form;
        return (200, new JsonObject
        {
            ["id"] = id,
            ["object"] = "customer",
            ["name"] = form.GetValueOrDefault("name"),
            ["email"] = form.GetValueOrDefault("email"),
            ["created"] = 1_790_000_000,
            ["livemode"] = false,
            ["metadata"] = Nested(form, "metadata"),
        }.ToJsonString());
    }

    private (int, string) CreateMeterEvent(Dictionary<string, string> form)
    {
        if (!form.TryGetValue("event_name", out var name) || !form.TryGetValue("payload[stripe_customer_id]", out var customer) || !Customers.ContainsKey(customer)
            || !form.TryGetValue("payload[value]", out var value) || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return (400, Error("invalid_request_error", "parameter_invalid", "event_name, payload[stripe_customer_id] and a whole-number payload[value] are required.", "payload"));
        }

        var identifier = form.GetValueOrDefault("identifier") ?? NextId("mev");
        if (!MeterEvents.TryAdd(identifier, form))
        {
            DuplicateMeterIdentifiers++;
        }

        return (200, new JsonObject
        {
            ["object"] = "billing.meter_event",
            ["created"] = 1_790_000_000,
            ["event_name"] = name,
            ["identifier"] = identifier,
            ["livemode"] = false,
            ["payload"] = Nested(form, "payload"),
            ["timestamp"] = long.Parse(form.GetValueOrDefault("timestamp") ?? "0", CultureInfo.InvariantCulture),
        }.ToJsonString());
    }

    private (int, string) CreateInvoice(Dictionary<string, string> form)
    {
        if (!form.TryGetValue("customer", out var customer) || !Customers.ContainsKey(customer))
        {
            return (400, Error("invalid_request_error", "resource_missing", "No such customer.", "customer"));
        }

        var invoice = new StandInInvoice { Id = NextId("in"), Customer = customer };
        Invoices[invoice.Id] = invoice;
        return (200, InvoiceJson(invoice, form));
    }

    private (int, string) CreateInvoiceItem(Dictionary<string, string> form)
    {
        if (!form.TryGetValue("invoice", out var invoiceId) || !Invoices.TryGetValue(invoiceId, out var invoice))
        {
            return (400, Error("invalid_request_error", "resource_missing", "No such invoice.", "invoice"));
        }

        if (invoice.Status != "draft")
        {
            return (400, Error("invalid_request_error", "invoice_not_editable", "Invoice is not a draft.", "invoice"));
        }

        if (!form.TryGetValue("amount", out var text) || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
        {
            return (400, Error("invalid_request_error", "parameter_missing", "amount must be an integer.", "amount"));
        }

        var id = NextId("ii");
        invoice.Items.Add((id, amount, form.GetValueOrDefault("description") ?? ""));
        return (200, new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoiceitem",
            ["amount"] = amount,
            ["currency"] = form.GetValueOrDefault("currency"),
            ["customer"] = invoice.Customer,
            ["description"] = form.GetValueOrDefault("description"),
            ["invoice"] = invoice.Id,
            ["livemode"] = false,
            ["metadata"] = Nested(form, "metadata"),
        }.ToJsonString());
    }

    private (int, string) Transition(string id, string from, Func<StandInInvoice, string> to)
    {
        if (!Invoices.TryGetValue(id, out var invoice))
        {
            return (404, Error("invalid_request_error", "resource_missing", "No such invoice."));
        }

        if (invoice.Status != from)
        {
            return (400, Error("invalid_request_error", "invoice_unexpected_state", $"The invoice is {invoice.Status}."));
        }

        invoice.Status = to(invoice);
        return (200, InvoiceJson(invoice, null));
    }

    private (int, string) DeleteDraft(string id)
    {
        if (!Invoices.TryGetValue(id, out var invoice) || invoice.Status == "deleted")
        {
            return (404, Error("invalid_request_error", "resource_missing", "No such invoice."));
        }

        invoice.Status = "deleted";
        return (200, new JsonObject { ["id"] = id, ["object"] = "invoice", ["deleted"] = true }.ToJsonString());
    }

    private static string InvoiceJson(StandInInvoice invoice, Dictionary<string, string>? form) => new JsonObject
    {
        ["id"] = invoice.Id,
        ["object"] = "invoice",
        ["customer"] = invoice.Customer,
        ["currency"] = "jpy",
        ["status"] = invoice.Status,
        ["collection_method"] = "send_invoice",
        ["auto_advance"] = invoice.Status != "draft",
        ["created"] = 1_790_000_000,
        ["livemode"] = false,
        ["subtotal"] = invoice.Total,
        ["total"] = invoice.Total,
        ["amount_due"] = invoice.Status == "paid" ? 0 : invoice.Total,
        ["amount_paid"] = 0,
        ["amount_remaining"] = invoice.Status == "paid" ? 0 : invoice.Total,
        ["metadata"] = form is null ? new JsonObject() : Nested(form, "metadata"),
    }.ToJsonString();

    /// <summary>Form fields <c>prefix[name]</c> as a JSON object.</summary>
    private static JsonObject Nested(Dictionary<string, string> form, string prefix)
    {
        var result = new JsonObject();
        foreach (var (k, v) in form.Where(kv => kv.Key.StartsWith(prefix + "[", StringComparison.Ordinal) && kv.Key.EndsWith(']')))
        {
            result[k[(prefix.Length + 1)..^1]] = v;
        }

        return result;
    }

    private static string Error(string type, string? code, string message, string? param = null) =>
        JsonSerializer.Serialize(new { error = new { type, code, message, param } });

    private string NextId(string prefix) => $"{prefix}_standin{Interlocked.Increment(ref _next):D6}";

    private void Record(string method, string path, Dictionary<string, string> form, string? key, bool replayed, int status)
    {
        lock (_gate)
        {
            _requests.Add(new Recorded(method, path, form, key, replayed, status));
        }
    }

    private static async Task AnswerAsync(HttpContext ctx, int status, string json)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        ctx.Response.Headers["Request-Id"] = "req_standin";
        await ctx.Response.WriteAsync(json);
    }

    private sealed record Injected(string Method, string Path, Failure Mode, int Status, string Code, bool? ShouldRetry)
    {
        public int Remaining { get; set; }

        public int Skip { get; set; }
    }
}
