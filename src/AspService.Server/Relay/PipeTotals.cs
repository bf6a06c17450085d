using System.Net.Security;
using System.Net.Sockets;

namespace AspService.Server.Relay;

/// <summary>Bytes that crossed a pipe, each way.</summary>
public sealed record PipeTotals(long HomeToOffice, long OfficeToHome);
