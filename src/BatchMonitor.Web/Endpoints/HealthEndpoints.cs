using BatchMonitor.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Web.Endpoints;

public static class HealthEndpoints
{
    /// <summary>
    /// <c>GET /healthz</c>: 200 <c>{"status":"healthy"}</c> when the database answers, 503 when it does not. No sign-in
    /// needed, so it tells nothing else (no counts, no error text; the error goes to the log).
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", CheckAsync).WithName("Health").WithTags("Health").AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<HealthReport>, ProblemHttpResult>> CheckAsync(
        IDbContextFactory<BatchMonitorDbContext> contexts, ILoggerFactory loggers, CancellationToken ct)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            _ = await db.Batches.AnyAsync(ct); // a read of the schema, not just a connection
            return TypedResults.Ok(new HealthReport("healthy"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            loggers.CreateLogger(typeof(HealthEndpoints)).LogError(e, "Health check: the database is not reachable");
            return TypedResults.Problem(title: "The database is not reachable.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    public sealed record HealthReport(string Status);
}
