namespace BatchMonitor.Web.Security;

/// <summary>
/// Browser hardening on every answer (pages, API, files, errors, redirects): a content security policy that lets the
/// pages load scripts, styles, fonts and images from this application only and connect only back to it (the circuit's
/// WebSocket included); no framing by other sites; no content-type sniffing; no referrer to other sites.
/// <c>style-src</c> allows inline styles: Blazor renders <c>style</c> attributes (progress bar widths) and MudBlazor sets
/// element styles. Scripts get no such exception: the pages have no inline script and no inline event handler.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // Set, not added: this is the one policy, whatever the framework put there before.
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "SAMEORIGIN";
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
