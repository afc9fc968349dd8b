using Microsoft.AspNetCore.Components.Endpoints;

namespace BatchMonitor.Web.Auth.Setup;

/// <summary>
/// Before the first admin exists, every page leads to <c>/setup</c>; afterwards <c>/setup</c> is gone (404).
/// The API, the hubs, static files and <c>/healthz</c> are left alone (the API answers 401: nobody can sign in yet).
/// </summary>
public sealed class SetupGate(RequestDelegate next, SetupState setup)
{
    public const string Path = "/setup";

    public async Task InvokeAsync(HttpContext context)
    {
        var isSetup = context.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase);
        var isPage = context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null;
        if (isSetup || isPage)
        {
            var needed = await setup.IsNeededAsync(context.RequestAborted);
            if (isSetup && !needed)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            if (!isSetup && needed)
            {
                context.Response.Redirect(context.Request.PathBase + Path);
                return;
            }
        }
        await next(context);
    }
}
