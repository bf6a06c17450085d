using AspService.Billing;
using Microsoft.Extensions.Options;

namespace AspService.Server.Billing;

/// <summary>
/// The issuer of qualified invoices (section <c>Billing</c>). Values that are given are validated on start
/// (a registration number with a wrong check digit stops the host); the issuer may be left empty by a
/// deployment that does not bill yet, and then the close refuses to run.
/// </summary>
public sealed class BillingOptions
{
    public const string Section = "Billing";

    public string? IssuerName { get; set; }

    public string? IssuerAddress { get; set; }

    /// <summary>適格請求書発行事業者登録番号: T + 13 digits.</summary>
    public string? RegistrationNumber { get; set; }

    /// <summary>Consumption tax rate applied to every component, in percent.</summary>
    public int TaxRatePercent { get; set; } = 10;

    public TaxRounding Rounding { get; set; } = TaxRounding.Floor;

    /// <summary>Printed before the sequence number: <c>INV-00000001</c>.</summary>
    public string InvoiceNumberPrefix { get; set; } = "INV";

    public bool IssuerComplete =>
        !string.IsNullOrWhiteSpace(IssuerName) && !string.IsNullOrWhiteSpace(IssuerAddress) && AspService.Billing.RegistrationNumber.IsValid(RegistrationNumber);

    public string FormatNumber(long sequence) => $"{InvoiceNumberPrefix}-{sequence:D8}";
}

internal sealed class BillingOptionsValidator : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrEmpty(options.RegistrationNumber) && RegistrationNumber.Validate(options.RegistrationNumber) is var error and not RegistrationNumberError.None)
        {
            failures.Add($"Billing:RegistrationNumber is not a valid invoice registration number ({error}): T followed by a 13-digit corporate number with its check digit");
        }

        if (options.TaxRatePercent is < 0 or > 100)
        {
            failures.Add("Billing:TaxRatePercent must be between 0 and 100");
        }

        if (!Enum.IsDefined(options.Rounding))
        {
            failures.Add("Billing:Rounding must be Floor, HalfUp or Ceiling");
        }

        if (options.InvoiceNumberPrefix is not { Length: >= 1 and <= 10 } prefix || !prefix.All(char.IsAsciiLetterOrDigit))
        {
            failures.Add("Billing:InvoiceNumberPrefix must be 1 to 10 ASCII letters or digits");
        }

        if (options.IssuerName?.Length > 200 || options.IssuerAddress?.Length > 300)
        {
            failures.Add("Billing:IssuerName (200) or IssuerAddress (300) is too long");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
