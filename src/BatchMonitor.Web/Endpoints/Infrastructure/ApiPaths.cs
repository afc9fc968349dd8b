namespace BatchMonitor.Web.Endpoints.Infrastructure;

/// <summary>Where machines talk to BatchMonitor: answers there are problem+json, never a page or a redirect.</summary>
public static class ApiPaths
{
    public const string Api = "/api";
    public const string Hubs = "/hubs";
    public const string OpenApi = "/openapi";
    public const string Metrics = "/metrics";

    public static bool IsMachinePath(PathString path) =>
        path.StartsWithSegments(Api) || path.StartsWithSegments(Hubs) || path.StartsWithSegments(OpenApi)
        || path.StartsWithSegments(Metrics);
}
