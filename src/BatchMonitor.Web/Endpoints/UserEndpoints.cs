using System.Security.Claims;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Auth.Users;
using BatchMonitor.Web.Endpoints.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BatchMonitor.Web.Endpoints;

/// <summary>
/// <c>/api/v1/users</c> (admin): what the Users page does, for scripts, by the same rules (<see cref="UserDirectory"/>):
/// the last admin is never demoted, disabled or removed (409), nobody disables or removes themselves (409), and
/// Identity's refusals come back as field errors in our words.
/// </summary>
public static class UserEndpoints
{
    public static RouteGroupBuilder MapUserEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(Policies.Admin);
        users.MapPost("", CreateAsync).WithName("CreateUser").WithSummary("Add a user who can sign in at once");
        users.MapGet("", ListAsync).WithName("ListUsers").WithSummary("Every user with their role and state");
        users.MapGet("/{id:guid}", GetAsync).WithName("GetUser").WithSummary("One user");
        users.MapPatch("/{id:guid}", PatchAsync).WithName("PatchUser").WithSummary("Change a user's role, or disable or enable them")
            .ProducesProblem(StatusCodes.Status409Conflict);
        users.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteUser").WithSummary("Remove a user and their API keys")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Results<Created<UserView>, ValidationProblem>> CreateAsync(
        CreateUserRequest request, UserDirectory directory, ClaimsPrincipal caller, CancellationToken ct)
    {
        var (errors, user) = await directory.AddAsync(request.Email, request.Password, request.Role, ct, caller.ToActor());
        return user is null ? ApiProblems.Invalid(errors) : TypedResults.Created($"/api/v1/users/{user.Id}", user);
    }

    private static async Task<Ok<IReadOnlyList<UserView>>> ListAsync(UserDirectory directory, CancellationToken ct) =>
        TypedResults.Ok(await directory.ListAsync(ct));

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> GetAsync(Guid id, UserDirectory directory, CancellationToken ct) =>
        await directory.GetAsync(Id(id), ct) is { } user ? TypedResults.Ok(user) : ApiProblems.NotFound("user");

    private static async Task<Results<Ok<UserView>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        Guid id, PatchUserRequest request, UserDirectory directory, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (request.Role is null && request.Disabled is null) return ApiProblems.Invalid("body", "Send role, disabled or both.");
        if (request.Role is not null && !Roles.IsKnown(request.Role)) return ApiProblems.Invalid("role", "role must be admin or viewer.");
        var actor = caller.FindFirstValue(ClaimTypes.NameIdentifier);
        if (await directory.GetAsync(Id(id), ct) is null) return ApiProblems.NotFound("user");
        // Refused before anything changes, so a refused request stores nothing (the role is changed first).
        if (request.Disabled == true && Id(id) == actor) return ApiProblems.Conflict("You cannot disable yourself.");
        if (request.Role is { } role && Refusal(await directory.ChangeRoleAsync(Id(id), role, actor, ct, caller.ToActor())) is { } refusedRole) return refusedRole;
        if (request.Disabled is { } disabled && Refusal(await directory.ChangeDisabledAsync(Id(id), disabled, actor, ct, caller.ToActor())) is { } refusedState)
            return refusedState;
        return await directory.GetAsync(Id(id), ct) is { } user ? TypedResults.Ok(user) : ApiProblems.NotFound("user");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, UserDirectory directory, ClaimsPrincipal caller, CancellationToken ct) =>
        Refusal(await directory.DeleteAsync(Id(id), caller.FindFirstValue(ClaimTypes.NameIdentifier), ct, caller.ToActor())) is { } refused
            ? refused
            : TypedResults.NoContent();

    private static ProblemHttpResult? Refusal(UserChange change) => change.Kind switch
    {
        UserChangeKind.Done => null,
        UserChangeKind.NotFound => ApiProblems.NotFound("user"),
        UserChangeKind.Invalid => TypedResults.Problem(title: ApiProblems.TitleFor(400), detail: change.Message, statusCode: StatusCodes.Status400BadRequest),
        _ => ApiProblems.Conflict(change.Message),
    };

    /// <summary>User ids are GUIDs in Identity's text form.</summary>
    private static string Id(Guid id) => id.ToString("D");
}
