using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Engine.Running;
using BatchMonitor.Core.Engine.Writing;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Events.AcrossNodes;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Handlers.Demo;
using BatchMonitor.Core.Handlers.Http;
using BatchMonitor.Core.Nodes;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// The store, the engine (with its hosted worker), the events, the batch service and the built-in handlers,
    /// configured from <c>ConnectionStrings:BatchMonitor</c>, <c>BatchMonitor:Storage</c>, <c>BatchMonitor:Engine</c>
    /// and <c>BatchMonitor:Http</c> (the http handler's limits and network policy).
    /// </summary>
    public static IServiceCollection AddBatchMonitorCore(this IServiceCollection services, IConfiguration configuration)
    {
        var storage = StorageOptions.From(configuration);
        var engine = new EngineOptions();
        configuration.GetSection("BatchMonitor:Engine").Bind(engine);
        var http = new HttpHandlerOptions();
        configuration.GetSection("BatchMonitor:Http").Bind(http);
        if (http.MaxResponseBytes < 1 || http.MaxRedirects < 0)
            throw new InvalidOperationException("BatchMonitor:Http:MaxResponseBytes must be at least 1 and MaxRedirects at least 0.");
        services.AddSingleton(http);
        var node = new NodeOptions();
        configuration.GetSection("BatchMonitor:Node").Bind(node);
        node.Validate();
        services.AddSingleton(Retention.RetentionOptions.From(configuration));
        return services.AddBatchMonitorCore(storage, engine, node);
    }

    /// <param name="node">Who this process is to other nodes; defaults as <see cref="NodeOptions"/> says.</param>
    public static IServiceCollection AddBatchMonitorCore(this IServiceCollection services, StorageOptions storage, EngineOptions engine,
        NodeOptions? node = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddBatchMonitorStorage(storage);
        services.AddSingleton(engine);
        services.AddSingleton(sp => new BatchEvents(sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BatchEvents>>(), sp.GetRequiredService<EngineOptions>().EventWindow));
        services.AddSingleton<EngineSignals>();
        services.AddSingleton<BatchTransitions>();
        services.AddSingleton<Audit.AuditTrail>();
        services.TryAddSingleton(new Retention.RetentionOptions());
        services.AddSingleton<BatchRemover>();
        services.AddSingleton<Retention.RetentionEvents>();
        services.AddSingleton<Retention.RetentionPruner>();
        services.AddScoped<Retention.RetentionService>();
        services.AddSingleton<Telemetry.BatchCountsGauge>();
        services.AddSingleton(sp => new Telemetry.EngineMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<Telemetry.BatchCountsGauge>()));
        services.AddSingleton<EngineWriter>();
        services.AddSingleton(sp => new ItemExecutor(sp.GetRequiredService<EngineWriter>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<EngineOptions>(), Random.Shared));
        services.AddSingleton<BatchPicker>();
        services.AddSingleton(node ?? new NodeOptions());
        services.AddSingleton<NodeIdentity>();
        services.AddSingleton<NodeEvents>();
        services.AddSingleton<NodeHeartbeat>();
        services.AddScoped<NodeService>();
        services.AddSingleton<Lifeline>();
        services.AddSingleton<BatchEngine>();
        if (StorageOptions.Normalize(storage.Provider) == StorageOptions.Postgres) services.AddEventsAcrossNodes(storage);
        if (engine.RunsBatches) services.AddHostedService<BatchWorker>();
        services.AddSingleton<HandlerRegistry>();
        services.AddScoped<BatchService>();
        services.AddSingleton<QueuePlace>();
        services.AddScoped<DatasetService>();
        services.AddScoped<Attempts.AttemptService>();
        services.AddSingleton<ScheduleSignals>();
        services.AddSingleton<ScheduleEvents>();
        services.AddSingleton<ScheduleFirer>();
        services.AddScoped<ScheduleService>();
        if (engine.RunsBatches) services.AddHostedService<ScheduleWorker>();
        if (engine.RunsBatches) services.AddHostedService<Retention.RetentionWorker>();
        services.AddSingleton<Rollups.RollupEvents>();
        services.AddSingleton<Rollups.HistoryReader>();
        services.AddSingleton<Rollups.RollupSampler>();
        if (engine.RunsBatches) services.AddHostedService(sp => sp.GetRequiredService<Rollups.RollupSampler>());

        services.TryAddSingleton(new HttpHandlerOptions());
        services.AddHttpClient(HttpHandler.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => GuardedConnector.CreateHandler(sp.GetRequiredService<HttpHandlerOptions>()));
        services.AddBatchHandler<DemoHandler>();
        services.AddBatchHandler<HttpHandler>();
        return services;
    }

    /// <summary>Several nodes share a PostgreSQL database: what one commits reaches the others' pages and engines by LISTEN/NOTIFY.</summary>
    private static void AddEventsAcrossNodes(this IServiceCollection services, StorageOptions storage)
    {
        services.AddSingleton(sp => new PostgresNotifications(StorageServiceCollectionExtensions.ConnectionStringOf(storage),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PostgresNotifications>>()));
        services.AddSingleton<ChangeRelay>();
        services.AddSingleton<ChangeReceiver>();
        services.AddHostedService<AcrossNodesWorker>();
    }

    /// <summary>Adds a kind of batch: the handler appears in the UI and the API under its name.</summary>
    public static IServiceCollection AddBatchHandler<THandler>(this IServiceCollection services)
        where THandler : class, IBatchHandler
    {
        services.AddSingleton<IBatchHandler, THandler>();
        return services;
    }
}
