using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace JinanDataOps.Api.Tests;

public class ProblemsTests
{
    private static ProblemDetails Details(IResult result) => Assert.IsType<ProblemHttpResult>(result).ProblemDetails;

    [Theory]
    [InlineData(RejectionKind.Validation, false, 400, "validation-failed")]
    [InlineData(RejectionKind.Forbidden, false, 403, "forbidden")]
    [InlineData(RejectionKind.NotFound, false, 404, "not-found")]
    [InlineData(RejectionKind.InvalidTransition, true, 409, "invalid-transition")]
    [InlineData(RejectionKind.RuleViolation, false, 422, "rule-violation")]
    [InlineData(RejectionKind.RuleViolation, true, 409, "rule-violation")]
    public void Each_rejection_kind_maps_to_its_status_and_code(RejectionKind kind, bool conflict, int status, string code)
    {
        var details = Details(Problems.From(new Rejection(kind, "why", null, conflict)));
        Assert.Equal(status, details.Status);
        Assert.Equal(code, details.Extensions["code"]);
    }

    [Fact]
    public void A_rule_violation_carries_its_article_in_the_detail_and_as_a_field()
    {
        var details = Details(Problems.From(Rejection.Rule(Art.A13, "one request per scenario")));
        Assert.Contains("Art. 13", details.Detail);
        Assert.Equal("Art. 13", details.Extensions["article"]);
    }

    [Fact]
    public void Overload_answers_503_with_retry_after()
    {
        var http = new DefaultHttpContext();
        var details = Details(Problems.Overloaded(http, "busy"));
        Assert.Equal(503, details.Status);
        Assert.Equal("overloaded", details.Extensions["code"]);
        Assert.Equal("5", http.Response.Headers.RetryAfter.ToString());
    }
}
