using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace BatchMonitor.Web.Endpoints.Infrastructure;

/// <summary>
/// For the API, the hubs and the OpenAPI document: every 4xx/5xx is problem+json (404 for unknown addresses, 405,
/// 413, 415, unreadable JSON, unbindable query values, unexpected exceptions), never a page; request bodies are
/// limited per endpoint, and their charset checked, before they are read; and responses are never sniffed as HTML.
/// </summary>
public sealed class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!ApiPaths.IsMachinePath(context.Request.Path))
        {
            await next(context);
            return;
        }

        // The pages' "not found" page must not answer for the API.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        context.Response.Headers.XContentTypeOptions = "nosniff";

        var limit = LimitBody(context);
        if (context.Request.ContentLength > limit)
        {
            await ApiProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                detail: $"{LimitDetail(limit)} The body has {context.Request.ContentLength:N0}.");
            return;
        }

        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false
            && RequestCharset.Unreadable(context.Request) is { } charset)
        {
            await ApiProblems.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType,
                detail: $"The body's charset '{charset}' is not one this server reads; send JSON as UTF-8 (charset=utf-8, or no charset).");
            return;
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var problem = RequestErrors.Describe(e, limit);
            context.Response.Clear();
            await ApiProblems.WriteAsync(context, problem.Status, problem.Title, problem.Detail, problem.Errors);
            return;
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await ApiProblems.WriteAsync(context, StatusCodes.Status500InternalServerError,
                detail: "The error is in the server's log; the request may not have been carried out.");
            return;
        }

        // Nothing is written yet: a framework answer without a body (routing's 404 and 405, SignalR's empty text/plain 405).
        if (context.Response is { StatusCode: >= 400, HasStarted: false } response)
        {
            response.ContentLength = null;
            response.ContentType = null;
            await ApiProblems.WriteAsync(context, response.StatusCode,
                detail: response.StatusCode == StatusCodes.Status413PayloadTooLarge ? LimitDetail(limit) : null);
        }
    }

    private static string LimitDetail(long limit) => $"This call reads at most {BodyLimit.Describe(limit)} ({limit:N0} bytes).";

    /// <summary>Applies the endpoint's limit to the server (Kestrel) and, where the server has none, to the body stream.</summary>
    private static long LimitBody(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? BodyLimit.Default.Bytes;
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
            feature.MaxRequestBodySize = limit;
        else if (context.Request.ContentLength is null && context.Request.Body != Stream.Null)
            context.Request.Body = new LimitedBodyStream(context.Request.Body, limit);
        return limit;
    }
}
