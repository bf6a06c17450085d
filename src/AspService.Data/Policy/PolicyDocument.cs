namespace AspService.Data.Policy;

/// <summary>The tenant's telework policy as a JSON document (the shape is <c>AspService.Policy.TeleworkPolicy</c>).</summary>
public sealed class PolicyDocument
{
    public int Id { get; set; } = 1;

    public required string Json { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public Guid? UpdatedBy { get; set; }

    public int Version { get; set; }
}
