namespace BatchMonitor.Web.Telemetry;

/// <summary>
/// Who may scrape <c>/metrics</c> (<c>BatchMonitor:Metrics:Access</c>): <c>admin</c> (the default: an admin API key or
/// an admin's sign-in), <c>anonymous</c> (anyone who reaches the port, for a Prometheus inside the network) or
/// <c>off</c> (the path is not mapped: 404).
/// </summary>
public enum MetricsAccess
{
    Admin,
    Anonymous,
    Off,
}

public static class MetricsSettings
{
    public const string Section = "BatchMonitor:Metrics:Access";

    /// <summary>The configured access; an unknown value stops the start rather than expose or hide metrics by surprise.</summary>
    public static MetricsAccess Read(IConfiguration configuration)
    {
        var value = configuration[Section]?.Trim();
        return value?.ToLowerInvariant() switch
        {
            null or "" or "admin" => MetricsAccess.Admin,
            "anonymous" => MetricsAccess.Anonymous,
            "off" => MetricsAccess.Off,
            _ => throw new InvalidOperationException($"{Section} is '{value}'; it must be admin, anonymous or off."),
        };
    }
}
