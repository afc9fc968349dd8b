namespace BatchMonitor.Web.Components.Layout;

/// <summary>
/// What the browser said in cookies on the request that opened the tab (written by theme.js before the first paint):
/// its theme and its time zone. App reads them while it renders statically and hands them to the live pages.
/// </summary>
public sealed record BrowserCookies(string? Theme, string? TimeZone)
{
    public const string Zone = "bm-tz";
}
