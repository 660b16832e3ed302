using JinanDataOps.Domain.Common;
using NetArchTest.Rules;

namespace JinanDataOps.Api.Tests;

/// <summary>The layers of STYLE.md, kept by the compiler's output: the API maps HTTP to one application call and
/// reads neither the journal nor a stream (those are the actor side's, behind the gateway); the domain is pure.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void The_api_reads_no_journal_and_runs_no_stream()
    {
        var result = Types.InAssembly(typeof(ApiSetup).Assembly).ShouldNot().HaveDependencyOnAny("Akka.Persistence", "Akka.Streams").GetResult();
        Assert.True(result.IsSuccessful, $"types of the API that use Akka.Persistence or Akka.Streams: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void The_domain_depends_on_nothing_but_the_runtime()
    {
        var result = Types.InAssembly(typeof(Policy).Assembly).ShouldNot()
            .HaveDependencyOnAny("Akka", "Microsoft", "LinqToDB", "JinanDataOps.Actors", "JinanDataOps.Api", "JinanDataOps.Monitoring", "JinanDataOps.Host")
            .GetResult();
        Assert.True(result.IsSuccessful, $"domain types with a dependency beyond the runtime: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void The_monitoring_rules_are_pure_too()
    {
        var result = Types.InAssembly(typeof(Monitoring.Rules.RuleEngine).Assembly).That().ResideInNamespaceStartingWith("JinanDataOps.Monitoring.Rules")
            .Or().ResideInNamespaceStartingWith("JinanDataOps.Monitoring.Sandbox")
            .ShouldNot().HaveDependencyOnAny("Akka", "Microsoft.AspNetCore", "JinanDataOps.Actors").GetResult();
        Assert.True(result.IsSuccessful, $"rule types that depend on Akka or ASP.NET: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }
}
