using System.Text;
using System.Text.Json;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>What escapes a handler, answered by <see cref="Problems.Handle"/>: status and machine code.</summary>
    private static async Task<(int Status, string Code)> Handled(Exception error, bool withBody = true)
    {
        var http = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
            Request = { ContentLength = withBody ? 12 : null },
            Response = { Body = new MemoryStream() },
        };
        http.Features.Set<IExceptionHandlerFeature>(new ExceptionHandlerFeature { Error = error, Path = "/" });
        await Problems.Handle(http);
        http.Response.Body.Position = 0;
        var problem = await JsonDocument.ParseAsync(http.Response.Body);
        return (http.Response.StatusCode, problem.RootElement.GetProperty("code").GetString()!);
    }

    /// <summary>Issue 10: what the JSON reader refuses in the caller's bytes is a 400, also when it is read past
    /// the binding — but with no body to blame it is data of ours, a 500; the server's own refusals of a request
    /// keep their 4xx; anything else stays a 500.</summary>
    [Fact]
    public async Task Caller_bytes_the_json_reader_refuses_are_400_and_only_those()
    {
        foreach (var text in new[] { "\"\\ud800\""u8.ToArray(), [(byte)'"', 0xFF, (byte)'"'] })
        {
            var refused = Assert.Throws<InvalidOperationException>(() =>
            {
                var reader = new Utf8JsonReader(text);
                reader.Read();
                return reader.GetString();
            });
            Assert.Equal((400, "validation-failed"), await Handled(refused));
            Assert.Equal((500, "internal-error"), await Handled(refused, withBody: false));
        }
        Assert.Equal((400, "validation-failed"), await Handled(new DecoderFallbackException("not UTF-8")));
        Assert.Equal((408, "validation-failed"), await Handled(new BadHttpRequestException("too slow", 408)));
        Assert.Equal((413, "validation-failed"), await Handled(new BadHttpRequestException("too large", 413)));
        Assert.Equal((500, "internal-error"), await Handled(new InvalidOperationException("a bug of ours")));
    }
}
