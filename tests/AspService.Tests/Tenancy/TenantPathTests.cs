using AspService.Server.Tenancy;

namespace AspService.Tests.Tenancy;

public sealed class TenantPathTests
{
    [Theory]
    [InlineData("/t/131016", "131016", "/")]
    [InlineData("/t/131016/", "131016", "/")]
    [InlineData("/t/131016/api/v1/tenant", "131016", "/api/v1/tenant")]
    public void SplitPrefix_TenantPath_Split(string path, string code, string rest)
    {
        Assert.Equal((code, rest), TenantPath.SplitPrefix(path));
    }

    [Theory]
    [InlineData("/T/131016/api")] // strict: lower-case t only
    [InlineData("/t/13101/api")]
    [InlineData("/t/1310166/api")]
    [InlineData("/t/１３１０１６/api")]
    [InlineData("/t/131016x")]
    [InlineData("/api/v1/ops/tenants")]
    [InlineData("/tenant/131016")]
    public void SplitPrefix_NotTenantPath_Null(string path)
    {
        Assert.Null(TenantPath.SplitPrefix(path));
    }

    [Theory]
    [InlineData("131016.asp.example.jp", "asp.example.jp", "131016")]
    [InlineData("131016.ASP.example.jp", "asp.example.jp", "131016")]
    [InlineData("131017.asp.example.jp", "asp.example.jp", null)] // wrong check digit
    [InlineData("evil.131016.asp.example.jp", "asp.example.jp", null)]
    [InlineData("131016.asp.example.jp.evil.com", "asp.example.jp", null)]
    [InlineData("131016.asp.example.jp", "", null)]
    [InlineData("asp.example.jp", "asp.example.jp", null)]
    public void CodeFromHost_OnlyExactSixDigitLabel(string host, string baseDomain, string? code)
    {
        Assert.Equal(code, TenantPath.CodeFromHost(host, baseDomain));
    }

    [Theory]
    [InlineData("/t/131016/../t/011002/api", true)]
    [InlineData("/t/131016/%2e%2e/x", false)] // decoded by the server before we see it; then caught as /../
    [InlineData("/t%2F011002/api", true)]
    [InlineData("/t/131016/./api", true)]
    [InlineData("/t/131016//api", true)]
    [InlineData("/t/131016\\api", true)]
    [InlineData("/t/131016/api/v1/tenant", false)]
    public void IsSuspicious_DotSegmentsAndEncodedSeparators(string path, bool suspicious)
    {
        Assert.Equal(suspicious, TenantPath.IsSuspicious(path));
    }
}
