using BatchMonitor.Core.Rollups;
using BatchMonitor.Core.Validation;
using BatchMonitor.Web.Endpoints.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BatchMonitor.Web.Endpoints;

/// <summary>
/// <c>GET /api/v1/stats/history?window=1h|24h|7d&amp;handler=&amp;step=</c>: items finished (succeeded, failed), mean and
/// p95 item duration and queue depth per step, for one handler or all, from the per-minute rollups.
/// </summary>
public static class HistoryEndpoints
{
    public static RouteGroupBuilder MapHistoryEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/stats/history", HistoryAsync).WithTags("Stats").WithName("GetStatsHistory")
            .WithSummary("Finished items, mean and p95 duration and queue depth per step over the last hour, 24 hours or 7 days "
                         + "(window=1h|24h|7d; step=1m, 5m, 15m, 30m, 1h, 2h, 6h or 1d, at most 1,440 points; defaults 1m, 15m, 2h)");
        return api;
    }

    private static async Task<Results<Ok<HistoryView>, ValidationProblem>> HistoryAsync(HistoryReader history,
        string? window, string? handler, string? step, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var chosen = string.IsNullOrEmpty(window) ? HistoryWindow.Hour : HistoryWindow.Find(window);
        if (chosen is null) errors.Add("window", "window must be 1h, 24h or 7d.");
        else if (!string.IsNullOrEmpty(step) && !chosen.Allows(step))
            errors.Add("step", $"step must be one of {string.Join(", ", chosen.StepsAllowed)} for window {chosen.Name}.");
        if (handler is not null && (handler.Length is 0 or > 100 || !await history.IsKnownHandlerAsync(handler, ct)))
            errors.Add("handler", "handler must be the name of a handler (GET /api/v1/handlers), or left out for every handler.");
        if (!errors.IsValid) return ApiProblems.Invalid(errors);
        return TypedResults.Ok(await history.ReadAsync(chosen!, string.IsNullOrEmpty(step) ? chosen!.DefaultStep : step, handler, ct));
    }
}
