using BatchMonitor.Core.Storage;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Components;
using BatchMonitor.Web.Endpoints;
using BatchMonitor.Web.Security;
using BatchMonitor.Web.Telemetry;

namespace BatchMonitor.Web;

public static class WebApplicationExtensions
{
    /// <summary>The pages, the endpoints and what they share.</summary>
    public static IServiceCollection AddBatchMonitorWeb(this IServiceCollection services, IConfiguration configuration,
        IWebHostEnvironment environment)
    {
        services.AddRazorComponents().AddInteractiveServerComponents(o => o.DetailedErrors = environment.IsDevelopment())
            // A pasted list of items arrives in one message; 32 KB (the default) is a few hundred keys.
            .AddHubOptions(o => o.MaximumReceiveMessageSize = 4 * 1024 * 1024);
        services.AddBatchMonitorUi();
        services.AddProblemDetails();
        // Open tabs hold WebSockets: a restart waits at most this long for them (the engine stops in well under a second),
        // so tabs reconnect to the new process soon and reload onto the resumed batches.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        services.AddTrustedProxies(configuration);
        services.AddBatchMonitorAuth(configuration);
        services.AddBatchMonitorApi();
        services.AddBatchMonitorMetrics(configuration);
        return services;
    }

    /// <summary>Brings the database to the newest migration before anything else runs (and creates the first admin if configured).</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        var migrator = app.Services.GetRequiredService<DatabaseMigrator>();
        // Nodes started together on a new PostgreSQL database take turns: the first migrates, the others find it done.
        await migrator.RunAloneAsync(async () =>
        {
            await migrator.MigrateAsync(app.Lifetime.ApplicationStopping);
            await app.PrepareAuthAsync();
        }, app.Lifetime.ApplicationStopping);
    }

    public static WebApplication UseBatchMonitorWeb(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<RelativeRedirects>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseBatchMonitorApi();
        app.UseBatchMonitorAuth();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthEndpoints();
        app.MapBatchMonitorApi();
        app.MapMetricsEndpoint(app.Configuration);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
