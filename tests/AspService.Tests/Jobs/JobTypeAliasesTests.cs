using AspService.Server.Billing;
using AspService.Server.Billing.Stripe;
using AspService.Server.Jobs;
using AspService.Server.Tenancy.Provisioning;

namespace AspService.Tests.Jobs;

/// <summary>Jobs queued under their former <c>Jobs.Work</c> type names still resolve after the classes moved into their features.</summary>
public sealed class JobTypeAliasesTests
{
    [Theory]
    [InlineData("MonthlyCloseJob", typeof(MonthlyCloseJob))]
    [InlineData("StripeSyncTenantJob", typeof(StripeSyncTenantJob))]
    [InlineData("UsageReportJob", typeof(UsageReportJob))]
    [InlineData("TenantOperationsJob", typeof(TenantOperationsJob))]
    public void FormerName_ResolvesToTheMovedClass(string name, Type moved)
    {
        var stored = $"{JobTypeAliases.FormerNamespace}{name}, AspService.Server, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null";

        Assert.Equal(moved, JobTypeAliases.Resolve(stored));
    }

    [Fact]
    public void CurrentName_ResolvesAsBefore() =>
        Assert.Equal(typeof(MonthlyCloseJob), JobTypeAliases.Resolve(typeof(MonthlyCloseJob).AssemblyQualifiedName!));
}
