using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Procedures;
using JinanDataOps.Api.Contracts;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Products;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JinanDataOps.Api.Endpoints;

/// <summary>A product as the operator registers it: built from its provisioned <paramref name="DataRequestIds"/> under
/// <paramref name="AgreementId"/>; <paramref name="Aggregated"/> (false when absent) declares that it outputs no
/// per-record data, which a report or a verification must (Art. 13).</summary>
public sealed record ProductBody(
    string? AgreementId, List<string>? DataRequestIds, [property: OneOf(typeof(ProductKind))] string? Kind, string? Name, string? Description,
    List<string>? OutputFields, bool? Aggregated = null);

/// <summary>The verdict of the security-compliance review; <paramref name="Notes"/> are required when the product is returned.</summary>
public sealed record ProductReviewBody(bool? Approved, string? Notes = null);

/// <summary>The lawfully established data exchange the product is listed on (Art. 13), e.g. "Shandong Data Exchange".</summary>
public sealed record ListingBody(string? Exchange);

/// <summary>Data products (Art. 3, 13, 15): registered from provisioned requests, reviewed for security and compliance,
/// listed on a data exchange, delisted.</summary>
public static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/products").RequireAuthorization().WithTags("Products");

        api.MapGet("/", async (string? operatorId, [OneOf(typeof(ProductStatus))] string? state, [OneOf(typeof(ProductKind))] string? kind,
            HttpContext http, Records records, CancellationToken ct) =>
        {
            if (state is not null && (!Kebab.TryParse<ProductStatus>(state, out var wanted) || wanted == ProductStatus.None))
                return Problems.Validation($"'state' must be one of: {string.Join(", ", new OneOfAttribute(typeof(ProductStatus)).Values)}.");
            if (kind is not null && !Kebab.TryParse<ProductKind>(kind, out _))
                return Problems.Validation($"'kind' must be one of: {Kebab.Names<ProductKind>()}.");
            var caller = http.Caller();
            // The read policy filters the list: an operator its own and the listed ones, an authority those under its
            // agreements (and the listed ones), regulators all, everyone else the listed ones.
            return TypedResults.Ok((await records.Products(ct))
                .Where(p => caller.May(Act.ReadProduct, p.Parties))
                .Where(p => operatorId is null || p.OperatorId == operatorId)
                .Where(p => state is null || Kebab.Of(p.State) == state)
                .Where(p => kind is null || Kebab.Of(p.Kind) == kind)
                .Select(Views.Product));
        }).Allows(Act.ListProducts).Answers<ProductView[]>().WithName("Products")
            .WithSummary("Data products: an operator its own, an authority those under its agreements, regulators all; everyone the listed ones (Art. 3)");

        api.MapGet("/{id}", async (string id, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (await gw.Get<Product, ProductState>(id, ct) is not { } s) return Problems.NotFound($"product {id} does not exist");
            return caller.May(Act.ReadProduct, s.Parties) ? TypedResults.Ok(Views.Product(s)) : Permissions.Refuse(Act.ReadProduct, caller);
        }).Allows(Act.ReadProduct).Answers<ProductView>().WithName("GetProduct").WithSummary("A data product with its review and listing; public once listed (Art. 3)");

        api.MapPost("/", async (ProductBody body, HttpContext http, ProcedureService procedure, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (string.IsNullOrWhiteSpace(body.AgreementId)) return Problems.Validation("'agreementId' is required: a product stands under the agreement it is made under.");
            if (!Kebab.TryParse<ProductKind>(body.Kind, out var kind)) return Problems.Validation($"'kind' must be one of: {Kebab.Names<ProductKind>()}.");
            var id = Ids.New("prd", caller.Org, "products", http.IdempotencyKey());
            var input = new ProductInput(body.AgreementId, body.DataRequestIds ?? [], kind, body.Name ?? "", body.Description ?? "", body.OutputFields ?? [], body.Aggregated ?? false);
            var outcome = await procedure.CreateProduct(caller, id, input, ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Created($"/api/products/{s.Id}", Views.Product(s)));
        }).Allows(Act.CreateProduct).Creates<ProductView>().WithName("CreateProduct")
            .WithSummary("Register a data product from the operator's provisioned requests under its active agreement; no sensitive source field in its output (Art. 3, 13)");

        api.MapPost("/{id}/submit", async (string id, HttpContext http, ProcedureService procedure, CancellationToken ct) =>
            ApiHelpers.Map(await procedure.SubmitProduct(http.Caller(), id, ct), s => TypedResults.Ok(Views.Product(s))))
            .Allows(Act.SubmitProduct).Answers<ProductView>().WithName("SubmitProduct")
            .WithSummary("Submit a draft, returned or delisted product to the security-compliance review; its output is checked again (Art. 13, 15)");

        api.MapPost("/{id}/review", async (string id, ProductReviewBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            if (body.Approved is null) return Problems.Validation("'approved' is required (true or false).");
            var outcome = await gw.Execute<Product, ProductState>(id, new ReviewProduct(http.Caller(), body.Approved.Value, body.Notes), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Ok(Views.Product(s)));
        }).Allows(Act.ReviewProduct).Answers<ProductView>().WithName("ReviewProduct")
            .WithSummary("The agreement's authority approves the product or returns it with notes: the security-compliance review (Art. 15)");

        api.MapPost("/{id}/list", async (string id, ListingBody body, HttpContext http, ProcedureService procedure, CancellationToken ct) =>
            ApiHelpers.Map(await procedure.ListProduct(http.Caller(), id, body.Exchange ?? "", ct), s => TypedResults.Ok(Views.Product(s))))
            .Allows(Act.ListProduct).Answers<ProductView>().WithName("ListProduct")
            .WithSummary("List an approved product on a lawfully established data exchange, while its agreement is active and its requests provisioned (Art. 13)");

        api.MapPost("/{id}/delist", async (string id, ReasonBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
            ApiHelpers.Map(await gw.Execute<Product, ProductState>(id, new DelistProduct(http.Caller(), body.Reason ?? ""), ct), s => TypedResults.Ok(Views.Product(s))))
            .Allows(Act.DelistProduct).Answers<ProductView>().WithName("DelistProduct")
            .WithSummary("The operator or the agreement's authorizing unit delists a listed product; listed again only after a new review (Art. 15)");

        return app;
    }
}
