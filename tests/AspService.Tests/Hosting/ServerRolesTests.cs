using AspService.Server.Hosting;

namespace AspService.Tests.Hosting;

public sealed class ServerRolesTests
{
    [Theory]
    [InlineData("web", ServerRoles.Web)]
    [InlineData("web,relay,jobs", ServerRoles.Web | ServerRoles.Relay | ServerRoles.Jobs)]
    [InlineData(" Jobs , relay ", ServerRoles.Jobs | ServerRoles.Relay)]
    [InlineData("all", ServerRoles.Web | ServerRoles.Relay | ServerRoles.Jobs)]
    public void Parse_Valid(string text, ServerRoles expected)
    {
        Assert.Equal(expected, ServerRolesParser.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("web,db")]
    [InlineData(null)]
    public void Parse_Invalid_FormatException(string? text)
    {
        Assert.Throws<FormatException>(() => ServerRolesParser.Parse(text));
    }
}
