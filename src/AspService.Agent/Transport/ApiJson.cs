using System.Text.Json;
using System.Text.Json.Serialization;
using AspService.Agent.Enrollment;

namespace AspService.Agent.Transport;

/// <summary>The server contract's JSON: camelCase (web defaults), nulls left out of requests.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EnrollmentRequest))]
[JsonSerializable(typeof(RenewalRequest))]
[JsonSerializable(typeof(IssuedCertificate))]
[JsonSerializable(typeof(TerminalView))]
[JsonSerializable(typeof(Problem))]
internal sealed partial class ApiJson : JsonSerializerContext;
