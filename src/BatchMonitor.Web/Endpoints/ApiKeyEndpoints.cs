using System.Security.Claims;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Auth.ApiKeys;
using BatchMonitor.Web.Endpoints.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BatchMonitor.Web.Endpoints;

/// <summary><c>/api/v1/api-keys</c> (admin): create (the key is in this one answer only), list, revoke.</summary>
public static class ApiKeyEndpoints
{
    public static RouteGroupBuilder MapApiKeyEndpoints(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys").RequireAuthorization(Policies.Admin);
        keys.MapPost("", CreateAsync).WithName("CreateApiKey")
            .WithSummary("Create a key; the answer holds the key, which is never shown again");
        keys.MapGet("", ListAsync).WithName("ListApiKeys").WithSummary("Every key (never the key itself)");
        keys.MapDelete("/{id:guid}", RevokeAsync).WithName("RevokeApiKey").WithSummary("Revoke a key at once");
        return api;
    }

    private static async Task<Results<Created<CreatedApiKey>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateApiKeyRequest request, ApiKeyService keys, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = ApiKeyService.Validate(request);
        if (!errors.IsValid) return ApiProblems.Invalid(errors);
        var ownerId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (ownerId is null) return ApiProblems.Forbidden("A key belongs to a user, and this request names none.");
        var created = await keys.CreateAsync(request.Name!, request.Role ?? Roles.Admin, ownerId, Owner(user), ct: ct, by: user.ToActor());
        return TypedResults.Created($"/api/v1/api-keys/{created.Info.Id}", created);
    }

    private static async Task<Ok<IReadOnlyList<ApiKeyView>>> ListAsync(ApiKeyService keys, CancellationToken ct) =>
        TypedResults.Ok(await keys.ListAsync(ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(Guid id, ApiKeyService keys, ClaimsPrincipal user,
        CancellationToken ct) =>
        await keys.RevokeAsync(id, ct, user.ToActor()) is null ? ApiProblems.NotFound("API key") : TypedResults.NoContent();

    /// <summary>The creator as lists show it: the user's email, or for a key made with a key, that key's name.</summary>
    private static string Owner(ClaimsPrincipal user) =>
        user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) is null
            ? user.Identity?.Name ?? "?"
            : $"key '{user.Identity?.Name}'";
}
