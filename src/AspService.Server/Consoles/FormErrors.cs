namespace AspService.Server.Consoles;

/// <summary>
/// A form's errors by field id, in the order found: the error summary links to each field, and each field is
/// marked <c>aria-invalid</c> and described by its message.
/// </summary>
public sealed class FormErrors
{
    private readonly List<(string Field, string Message)> _all = [];

    public bool Any => _all.Count > 0;

    public IReadOnlyList<(string Field, string Message)> All => _all;

    public void Add(string field, string message) => _all.Add((field, message));

    public string? Of(string field) => _all.FirstOrDefault(e => e.Field == field).Message;

    /// <summary>Attributes for an input: aria-invalid and aria-describedby when the field has an error.</summary>
    public string? Invalid(string field) => Of(field) is null ? null : "true";

    public string? DescribedBy(string field) => Of(field) is null ? null : field + "-error";
}
