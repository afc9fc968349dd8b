using BatchMonitor.Core.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BatchMonitor.Web.Endpoints.Infrastructure;

/// <summary>
/// The problem+json answers (RFC 9457) every endpoint, handler and middleware of the API gives: each with a title, the
/// status and a detail saying what to do (a generic one by status when the caller has nothing more specific).
/// </summary>
public static class ApiProblems
{
    public static ProblemHttpResult NotFound(string what = "batch") =>
        TypedResults.Problem(title: $"No {what} has this id.", detail: $"Check the id: no {what} has it, or it was deleted.",
            statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Conflict(string? detail) =>
        TypedResults.Problem(title: "The current state does not allow this.", detail: detail ?? DetailFor(StatusCodes.Status409Conflict),
            statusCode: StatusCodes.Status409Conflict);

    /// <summary>A conflict about fields (a name another resource has): 409, with <c>errors</c> by field as in a 400.</summary>
    public static ProblemHttpResult Conflict(ValidationErrors errors, string? detail) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary())
        {
            Title = TitleFor(StatusCodes.Status409Conflict),
            Detail = detail ?? DetailFor(StatusCodes.Status409Conflict),
            Status = StatusCodes.Status409Conflict,
        });

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
        problem.Detail = detail ?? DetailFor(status, context);
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

    /// <summary>What to do about an answer with this status, as far as the status alone says.</summary>
    public static string DetailFor(int status, HttpContext? context = null) => status switch
    {
        400 => "The server could not read this request; check its address, headers and body.",
        401 => "Sign in at /login, or send an API key in the X-Api-Key header.",
        403 => "Ask an admin: your role does not allow this.",
        404 => context is null ? "No API address matches this request; see /openapi/v1.json for the addresses."
            : $"No API address matches {context.Request.Method} {context.Request.Path}; see /openapi/v1.json for the addresses.",
        405 => context?.Response.Headers.Allow.ToString() is { Length: > 0 } allow
            ? $"{context.Request.Method} is not allowed here; this address takes {allow}."
            : "This address does not take this method; see /openapi/v1.json.",
        406 => "Ask for application/json (or leave Accept out).",
        408 => "The request did not arrive in time; send it again.",
        409 => "Reload the current state and try again.",
        413 => "Send a smaller body.",
        415 => "Send the body as JSON with Content-Type: application/json.",
        429 => "Wait a minute and try again.",
        >= 500 => "The error is in the server's log; the request may not have been carried out.",
        _ => TitleFor(status),
    };

    private static string Summary(ValidationErrors errors) =>
        errors.Count == 1 ? "One field is invalid; see errors." : $"{errors.Count} fields are invalid; see errors.";
}
