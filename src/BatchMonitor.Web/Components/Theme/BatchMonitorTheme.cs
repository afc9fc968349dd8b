using MudBlazor;

namespace BatchMonitor.Web.Components.Theme;

/// <summary>
/// The product's one theme, light and dark. Status colours live here and nowhere else: running is Info, waiting is
/// Secondary, paused and skipped are Warning, done is Success, failed and timed out are Error (see <see cref="StatusTone"/>).
/// </summary>
public static class BatchMonitorTheme
{
    private static readonly string[] SystemFonts =
        ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "Noto Sans", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#4f46e5",
            Secondary = "#64748b",
            Tertiary = "#0d9488",
            Info = "#2563eb",
            Success = "#15803d",
            Warning = "#b45309",
            Error = "#dc2626",
            AppbarBackground = "#ffffff",
            AppbarText = "#1e293b",
            Background = "#f8fafc",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "#334155",
            DrawerIcon = "#64748b",
            TextPrimary = "#0f172a",
            TextSecondary = "#475569",
            LinesDefault = "#e2e8f0",
            TableLines = "#e2e8f0",
            Divider = "#e2e8f0",
            ActionDisabled = "#94a3b8",
            ActionDisabledBackground = "#e2e8f0",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#818cf8",
            Secondary = "#94a3b8",
            Tertiary = "#2dd4bf",
            Info = "#60a5fa",
            Success = "#4ade80",
            Warning = "#fbbf24",
            Error = "#f87171",
            AppbarBackground = "#111827",
            AppbarText = "#e5e7eb",
            Background = "#0b1120",
            Surface = "#111827",
            DrawerBackground = "#111827",
            DrawerText = "#cbd5e1",
            DrawerIcon = "#94a3b8",
            TextPrimary = "#f1f5f9",
            TextSecondary = "#94a3b8",
            LinesDefault = "#1f2937",
            TableLines = "#1f2937",
            Divider = "#1f2937",
            // Disabled controls must read as disabled in the dark too: no colour, low contrast.
            ActionDisabled = "#4b5563",
            ActionDisabledBackground = "#1f2937",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = SystemFonts },
            H1 = new H1Typography { FontFamily = SystemFonts, FontSize = "1.6rem", FontWeight = "600", LineHeight = "1.25" },
            H2 = new H2Typography { FontFamily = SystemFonts, FontSize = "1.25rem", FontWeight = "600", LineHeight = "1.3" },
            H3 = new H3Typography { FontFamily = SystemFonts, FontSize = "1.1rem", FontWeight = "600", LineHeight = "1.3" },
            Button = new ButtonTypography { FontFamily = SystemFonts, TextTransform = "none", FontWeight = "500" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px", DrawerWidthLeft = "232px" },
    };
}
