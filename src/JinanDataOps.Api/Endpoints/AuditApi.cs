using System.Globalization;
using System.Text.Json;
using JinanDataOps.Actors.Audit;
using JinanDataOps.Api.Contracts;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JinanDataOps.Api.Endpoints;

/// <summary>The tamper-evident record (Art. 8(5), 17): every governance event is linked into one hash chain; the
/// authority and regulators verify it, and an operator's record is every event about it, kept after termination.</summary>
public static class AuditApi
{
    private static readonly string[] Header = ["index", "at", "kind", "entityId", "event", "byRole", "byOrg", "reason", "hash", "details"];

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Audit");

        api.MapGet("/audit/verify", async (AuditRecords records, CancellationToken ct) =>
        {
            var verdict = await records.Verify(ct);
            return TypedResults.Ok(new AuditVerificationView(verdict.Valid, verdict.Records, verdict.FirstBrokenAt));
        }).Allows(Act.VerifyAudit).Answers<AuditVerificationView>().WithName("VerifyAudit")
            .WithSummary("Recomputes every link of the hash-chained record and names the first broken one (Art. 17)");

        api.MapGet("/operators/{id}/record", async (string id, HttpContext http, AuditRecords records, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (!caller.May(Act.ReadOperatorRecord, new Parties(Operator: id))) return Permissions.Refuse(Act.ReadOperatorRecord, caller);
            var entries = (await records.OperatorRecord(id, ct)).Select(View).ToArray();
            return Csv.Wanted(http.Request) ? Csv.Result(Csv.Write(Header, entries.Select(Row)), $"record-{id}.csv") : TypedResults.Ok(entries);
        }).Allows(Act.ReadOperatorRecord).AnswersWithCsv<OperatorRecordEntryView[]>("The same entries as CSV (RFC 4180): a header row index,at,kind,entityId,event,byRole,byOrg,reason,hash,details; details is the event's JSON.")
            .WithName("GetOperatorRecord")
            .WithSummary("Every governance event about the operator, oldest first, kept after termination; JSON or CSV (Art. 8(5))");

        return app;
    }

    private static OperatorRecordEntryView View(OperatorRecordEntry e)
    {
        using var details = JsonDocument.Parse(e.Details);
        return new(e.Index, e.At, e.Kind, e.EntityId, e.Event, e.ByRole, e.ByOrg, e.Reason, e.Hash, details.RootElement.Clone());
    }

    private static string?[] Row(OperatorRecordEntryView e) =>
    [
        e.Index.ToString(CultureInfo.InvariantCulture), e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        e.Kind, e.EntityId, e.Event, Kebab.Of(e.ByRole), e.ByOrg, e.Reason, e.Hash, e.Details.GetRawText(),
    ];
}
