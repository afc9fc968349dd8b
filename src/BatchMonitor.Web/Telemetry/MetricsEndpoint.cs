using BatchMonitor.Core.Telemetry;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Endpoints.Infrastructure;
using OpenTelemetry.Metrics;

namespace BatchMonitor.Web.Telemetry;

/// <summary>
/// The engine's meters (<see cref="EngineMetrics"/>) in Prometheus text format at <c>GET /metrics</c>, and its item-run
/// traces (<see cref="EngineMetrics.Traces"/>) for whoever adds a tracing exporter. Access as <see cref="MetricsAccess"/> says.
/// </summary>
public static class MetricsEndpoint
{
    public static IServiceCollection AddBatchMonitorMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        if (MetricsSettings.Read(configuration) == MetricsAccess.Off) return services;
        // No tracing provider here: one without an exporter would still sample every item run into an activity for nobody.
        // A deployment that ships traces adds .WithTracing(t => t.AddSource(EngineMetrics.Name).AddOtlpExporter()).
        services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(EngineMetrics.Name).AddPrometheusExporter());
        return services;
    }

    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        var access = MetricsSettings.Read(configuration);
        if (access == MetricsAccess.Off) return app;
        var endpoint = app.MapPrometheusScrapingEndpoint(ApiPaths.Metrics).WithDisplayName("GET /metrics");
        if (access == MetricsAccess.Anonymous) endpoint.AllowAnonymous();
        else endpoint.RequireAuthorization(Policies.Admin);
        return app;
    }
}
