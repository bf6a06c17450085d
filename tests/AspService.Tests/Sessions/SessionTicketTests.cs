using AspService.Policy;
using AspService.Sessions;

namespace AspService.Tests.Sessions;

public sealed class SessionTicketTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
    private static readonly TicketBinding Binding = new(Guid.NewGuid(), Guid.NewGuid(), "0a1b2c", Guid.NewGuid());

    [Fact]
    public void New_256BitsBase64Url_HashIsSha256()
    {
        var ticket = SessionTicket.New();

        Assert.Equal(43, ticket.Length);
        Assert.DoesNotContain('=', ticket);
        Assert.Equal(32, SessionTicket.Hash(ticket)!.Length);
        Assert.NotEqual(SessionTicket.New(), ticket);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 44 characters: truncation/padding tricks
    public void Hash_Garbage_Null(string? ticket)
    {
        Assert.Null(SessionTicket.Hash(ticket));
    }

    [Fact]
    public void Check_ValidForBoundParties_None()
    {
        var stored = new StoredTicket(Binding, Now.AddSeconds(60), null);

        Assert.Equal(TicketRefusal.None, SessionTicket.Check(stored, Binding.TenantId, "0A1B2C", null, Now));
        Assert.Equal(TicketRefusal.None, SessionTicket.Check(stored, Binding.TenantId, null, Binding.OfficeTerminalId, Now.AddSeconds(59)));
    }

    [Fact]
    public void Check_EveryRefusal()
    {
        var stored = new StoredTicket(Binding, Now.AddSeconds(60), null);

        Assert.Equal(TicketRefusal.Unknown, SessionTicket.Check(null, Binding.TenantId, null, null, Now));
        Assert.Equal(TicketRefusal.OtherTenant, SessionTicket.Check(stored, Guid.NewGuid(), "0a1b2c", null, Now));
        Assert.Equal(TicketRefusal.Expired, SessionTicket.Check(stored, Binding.TenantId, "0a1b2c", null, Now.AddSeconds(60)));
        Assert.Equal(TicketRefusal.AlreadyUsed, SessionTicket.Check(stored with { UsedAt = Now }, Binding.TenantId, "0a1b2c", null, Now));
        Assert.Equal(TicketRefusal.WrongHomeCertificate, SessionTicket.Check(stored, Binding.TenantId, "ffff", null, Now));
        Assert.Equal(TicketRefusal.WrongOfficeTerminal, SessionTicket.Check(stored, Binding.TenantId, null, Guid.NewGuid(), Now));
    }
}
