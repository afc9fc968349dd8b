using System.Globalization;
using System.Text.RegularExpressions;
using BatchMonitor.Core.Retention;
using BatchMonitor.Core.Services;
using BatchMonitor.Web.Endpoints.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BatchMonitor.Web.Endpoints;

/// <summary><c>GET /api/v1/stats?window=1h</c>: batches per status, items per second, mean item time, per handler and minute.</summary>
public static partial class StatsEndpoints
{
    public static readonly TimeSpan MinWindow = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(30);

    public static RouteGroupBuilder MapStatsEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/stats", StatsAsync).WithTags("Stats").WithName("GetStats")
            .WithSummary("Throughput and outcomes over a window (window=90s, 15m, 1h, 24h, 7d; default 1h), and retention's totals")
            .WithDescription("retention {batches, items, logLines, attempts, scheduleRuns, lastRunAt}: everything pruned so far (not limited to the window).");
        return api;
    }

    private static async Task<Results<Ok<StatsView>, ValidationProblem>> StatsAsync(BatchService service, RetentionService retention,
        string? window, CancellationToken ct)
    {
        if (!TryParseWindow(window, out var span))
            return ApiProblems.Invalid("window", "window must be a number with s, m, h or d (such as 15m, 1h or 7d), from 1 minute to 30 days.");
        return TypedResults.Ok(await service.StatsAsync(span, ct) with { Retention = await retention.TotalsAsync(ct) });
    }

    public static bool TryParseWindow(string? text, out TimeSpan window)
    {
        window = TimeSpan.FromHours(1);
        if (string.IsNullOrWhiteSpace(text)) return true;
        var match = WindowPattern().Match(text.Trim());
        if (!match.Success || !long.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 1_000_000)
            return false;
        window = match.Groups["unit"].Value switch
        {
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            _ => TimeSpan.FromDays(n),
        };
        return window >= MinWindow && window <= MaxWindow;
    }

    [GeneratedRegex("^(?<n>[0-9]{1,7})(?<unit>[smhd])$")]
    private static partial Regex WindowPattern();
}
