namespace BatchMonitor.Web.Components.Layout;

/// <summary>What a browser chose for the theme; System follows the operating system's setting as it changes.</summary>
public enum ThemeChoice
{
    System,
    Light,
    Dark,
}

/// <summary>The theme as the browser reported it: its choice, and whether the page is dark now.</summary>
public sealed record ThemeState(ThemeChoice Choice, bool Dark)
{
    /// <summary>Cookie written by theme.js before the first paint, so prerendered pages are drawn in the right theme.</summary>
    public const string Cookie = "bm-theme";

    /// <summary>The cookie holds "light|dark" (the choice) followed by ":dark" or ":light" (what shows now).</summary>
    public static ThemeState Parse(string? cookie)
    {
        var parts = (cookie ?? "").Split(':');
        var choice = parts[0] switch { "light" => ThemeChoice.Light, "dark" => ThemeChoice.Dark, _ => ThemeChoice.System };
        var dark = choice == ThemeChoice.Dark || (choice == ThemeChoice.System && parts.Length > 1 && parts[1] == "dark");
        return new ThemeState(choice, dark);
    }
}
