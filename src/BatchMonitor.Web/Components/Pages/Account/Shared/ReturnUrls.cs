namespace BatchMonitor.Web.Components.Pages.Account.Shared;

/// <summary>Where to go after signing in: only a path of this site, never another site (no open redirects).</summary>
public static class ReturnUrls
{
    public static string Safe(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Contains("://", StringComparison.Ordinal)
            ? url
            : "/";
}
