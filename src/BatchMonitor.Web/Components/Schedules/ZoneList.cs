namespace BatchMonitor.Web.Components.Schedules;

/// <summary>The time zones this server knows, by IANA name: what the time zone field offers as it is typed.</summary>
public static class ZoneList
{
    private static readonly Lazy<IReadOnlyList<string>> Known = new(() => TimeZoneInfo.GetSystemTimeZones()
        .Select(z => z.Id).Where(id => id.Contains('/') || id == "UTC").Order(StringComparer.Ordinal).ToList());

    public static IReadOnlyList<string> All => Known.Value;

    /// <summary>Zones whose name contains the text ("seoul", "europe/"), best first: those starting with it, then the rest.</summary>
    public static IEnumerable<string> Matching(string? text, int max = 30)
    {
        if (string.IsNullOrWhiteSpace(text)) return All.Take(max);
        var t = text.Trim();
        return All.Where(z => z.Contains(t, StringComparison.OrdinalIgnoreCase))
            .OrderBy(z => z.StartsWith(t, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .Take(max);
    }
}
