using BatchMonitor.Core.Storage;
using BatchMonitor.Web.Components;
using BatchMonitor.Web.Endpoints;

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
        return services;
    }

    /// <summary>Brings the database to the newest migration before anything else runs.</summary>
    public static Task MigrateDatabaseAsync(this WebApplication app) =>
        app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);

    public static WebApplication UseBatchMonitorWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapHealthEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
