using BatchMonitor.Core.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BatchMonitor.Web.Endpoints.Infrastructure;

/// <summary>The problem+json answers (RFC 9457) every endpoint, handler and middleware of the API gives.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult NotFound(string what = "batch") =>
        TypedResults.Problem(title: $"No {what} has this id.", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Conflict(string? detail) =>
        TypedResults.Problem(title: "The current state does not allow this.", detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static ProblemHttpResult Forbidden(string? detail = null) =>
        TypedResults.Problem(title: TitleFor(StatusCodes.Status403Forbidden), detail: detail, statusCode: StatusCodes.Status403Forbidden);

    public static ValidationProblem Invalid(ValidationErrors errors, string? detail = null) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), detail: detail ?? Summary(errors),
            title: "The request is not valid.");

    public static ValidationProblem Invalid(string field, string message) => Invalid(ValidationErrors.Single(field, message));

    /// <summary>Writes a problem outside an endpoint (authentication, middleware), whatever the request's Accept header says.</summary>
    public static Task WriteAsync(HttpContext context, int status, string? title = null, string? detail = null,
        IDictionary<string, string[]>? errors = null)
    {
        var problem = errors is null ? new ProblemDetails() : new HttpValidationProblemDetails(errors);
        problem.Status = status;
        problem.Title = title ?? TitleFor(status);
        problem.Detail = detail;
        return TypedResults.Problem(problem).ExecuteAsync(context);
    }

    public static string TitleFor(int status) => status switch
    {
        400 => "The request is not valid.",
        401 => "Sign in or send an API key (X-Api-Key).",
        403 => "Your role does not allow this.",
        404 => "Nothing is at this address.",
        405 => "This address does not take this method.",
        406 => "This address cannot answer in the format asked for.",
        408 => "The request took too long.",
        409 => "The current state does not allow this.",
        413 => "The request body is too large.",
        415 => "Send the body as JSON (Content-Type: application/json).",
        429 => "Too many requests; wait and try again.",
        >= 500 => "Something went wrong on the server.",
        _ => "The request failed.",
    };

    private static string Summary(ValidationErrors errors) =>
        errors.Count == 1 ? "One field is invalid; see errors." : $"{errors.Count} fields are invalid; see errors.";
}
