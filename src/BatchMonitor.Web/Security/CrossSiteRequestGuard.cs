using BatchMonitor.Web.Auth.ApiKeys;
using BatchMonitor.Web.Endpoints.Infrastructure;

namespace BatchMonitor.Web.Security;

/// <summary>
/// Keeps other sites from using a signed-in browser's cookie to change something through the API (cross-site request
/// forgery; SameSite=Lax does not stop a page on another port of the same host, which is the same site). A change
/// (POST, PUT, PATCH, DELETE) under <c>/api</c> signed in by the cookie is refused with 403 when
/// <list type="bullet">
/// <item>its <c>Origin</c> (or, lacking one, its <c>Referer</c>) is not this application's own origin, or</item>
/// <item>its body is a form (<c>application/x-www-form-urlencoded</c>, <c>multipart/form-data</c>, <c>text/plain</c>):
/// the API takes JSON, and these are the only bodies another site's form can send.</item>
/// </list>
/// A request with neither header is let through: browsers send <c>Origin</c> with every cross-origin change, so such
/// a request comes from a script, which holds the cookie itself. Requests with <c>X-Api-Key</c> are not looked at: no
/// other site can make a browser add that header.
/// <para>
/// Live connections (the pages' circuit at <c>/_blazor</c>, the hub at <c>/hubs</c>) are guarded the same way whatever
/// the method: a WebSocket is not bound by the browser's same-origin rules, so without this another site could open one
/// with the cookie and follow every batch. Browsers always send <c>Origin</c> when they open one.
/// </para>
/// </summary>
public sealed class CrossSiteRequestGuard(RequestDelegate next)
{
    private static readonly string[] FormTypes = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];

    private static readonly PathString[] LivePaths = ["/_blazor", "/hubs"];

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Headers.ContainsKey(ApiKeyFormat.Header) || context.User.Identity?.IsAuthenticated != true) return next(context);
        if (LivePaths.Any(p => request.Path.StartsWithSegments(p)))
            return ForeignOrigin(request)
                ? ApiProblems.WriteAsync(context, StatusCodes.Status403Forbidden,
                    detail: "Live connections signed in by the cookie are taken only from BatchMonitor's own pages. Scripts send X-Api-Key.")
                : next(context);
        if (!request.Path.StartsWithSegments(ApiPaths.Api) || IsSafe(request.Method)) return next(context);
        return Refusal(request) is { } detail ? ApiProblems.WriteAsync(context, StatusCodes.Status403Forbidden, detail: detail) : next(context);
    }

    private static bool ForeignOrigin(HttpRequest request) =>
        request.Headers.Origin.ToString() is { Length: > 0 } origin && !IsOwnOrigin(origin, request);

    private static string? Refusal(HttpRequest request)
    {
        if (request.ContentType is { } type && FormTypes.Any(f => type.StartsWith(f, StringComparison.OrdinalIgnoreCase)))
            return "The API takes changes as JSON (Content-Type: application/json), never as a form post.";
        var origin = request.Headers.Origin.ToString();
        var from = origin.Length > 0 ? origin : request.Headers.Referer.ToString();
        if (from.Length == 0) return null;
        return IsOwnOrigin(from, request)
            ? null
            : "This change came from another origin; signed-in browsers take changes only from BatchMonitor's own pages. Scripts send X-Api-Key.";
    }

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    /// <summary>Same scheme, host and port as the request (an <c>Origin: null</c> is never ours).</summary>
    private static bool IsOwnOrigin(string url, HttpRequest request)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return false;
        var port = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        return string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
               && string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
               && uri.Port == port;
    }
}
