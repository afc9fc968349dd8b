namespace BatchMonitor.Web.Security;

/// <summary>
/// Makes redirects to this application relative (<c>Location: /login?returnUrl=…</c>): the sign-in challenge, the pages'
/// navigations and the setup gate would otherwise build an absolute address from the request's <c>Host</c> header,
/// which a client (or a poisoned cache in front) chooses. Redirects elsewhere are left as they are.
/// </summary>
public sealed class RelativeRedirects(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var response = context.Response;
            if (response.Headers.Location.ToString() is { Length: > 0 } location
                && Uri.TryCreate(location, UriKind.Absolute, out var uri)
                && string.Equals(uri.Scheme, context.Request.Scheme, StringComparison.OrdinalIgnoreCase)
                && string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.Location = uri.PathAndQuery + uri.Fragment;
            }
            return Task.CompletedTask;
        });
        return next(context);
    }
}
