using BatchMonitor.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Web.Endpoints;

public static class HealthEndpoints
{
    /// <summary><c>GET /healthz</c>: 200 when the database answers, 503 when it does not. No sign-in needed.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", CheckAsync).WithName("Health").WithTags("Health").AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<HealthReport>, ProblemHttpResult>> CheckAsync(
        IDbContextFactory<BatchMonitorDbContext> contexts, CancellationToken ct)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var batches = await db.Batches.CountAsync(ct);
            return TypedResults.Ok(new HealthReport("healthy", batches));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return TypedResults.Problem(title: "The database is not reachable.", detail: e.Message,
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    public sealed record HealthReport(string Status, int Batches);
}
