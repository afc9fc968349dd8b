using BatchMonitor.Core.Telemetry;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Endpoints.Infrastructure;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace BatchMonitor.Web.Telemetry;

/// <summary>
/// The engine's meters (<see cref="EngineMetrics"/>) in Prometheus text format at <c>GET /metrics</c>, and its item-run
/// traces for whoever adds an exporter. Access as <see cref="MetricsAccess"/> says.
/// </summary>
public static class MetricsEndpoint
{
    public static IServiceCollection AddBatchMonitorMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        if (MetricsSettings.Read(configuration) == MetricsAccess.Off) return services;
        services.AddOpenTelemetry()
            .WithMetrics(m => m.AddMeter(EngineMetrics.Name).AddPrometheusExporter())
            // No exporter here: the source is sampled only where a deployment adds one (OTLP, console) to this builder.
            .WithTracing(t => t.AddSource(EngineMetrics.Name));
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
