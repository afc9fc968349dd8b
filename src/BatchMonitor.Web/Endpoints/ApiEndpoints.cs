using System.Text.Json.Serialization;
using BatchMonitor.Core.Json;
using BatchMonitor.Web.Endpoints.Infrastructure;
using BatchMonitor.Web.Hubs;

namespace BatchMonitor.Web.Endpoints;

/// <summary>The HTTP API v1, the hub and the OpenAPI document.</summary>
public static class ApiEndpoints
{
    /// <summary>
    /// JSON as JsonDefaults says (camelCase, snake_case enum words, ISO UTC times), for the API and the hub alike.
    /// Request bodies with unknown fields are refused (400 naming the field): a typo such as "concurency" would
    /// otherwise start a batch with the default silently.
    /// </summary>
    public static IServiceCollection AddBatchMonitorApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            JsonDefaults.Configure(o.SerializerOptions);
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        // Binding failures become exceptions that ApiErrorMiddleware turns into problem+json naming the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddSignalR().AddJsonProtocol(o => JsonDefaults.Configure(o.PayloadSerializerOptions));
        services.AddSingleton<HubSubscriptions>();
        services.AddHostedService<BatchHubRelay>();
        services.AddBatchMonitorOpenApi();
        return services;
    }

    /// <summary>Routing first, so the API's error handling and body limits know the endpoint.</summary>
    public static IApplicationBuilder UseBatchMonitorApi(this IApplicationBuilder app)
    {
        app.UseRouting();
        app.UseMiddleware<ApiErrorMiddleware>();
        return app;
    }

    public static IEndpointRouteBuilder MapBatchMonitorApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/api/v1")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem();
        v1.MapBatchEndpoints();
        v1.MapDatasetEndpoints();
        v1.MapHandlerEndpoints();
        v1.MapStatsEndpoints();
        v1.MapHistoryEndpoints();
        v1.MapScheduleEndpoints();
        v1.MapApiKeyEndpoints();
        v1.MapUserEndpoints();
        v1.MapNodeEndpoints();
        v1.MapAuditEndpoints();
        v1.MapRetentionEndpoints();
        app.MapHub<BatchHub>(BatchHub.Path);
        app.MapBatchMonitorOpenApi();
        return app;
    }
}
