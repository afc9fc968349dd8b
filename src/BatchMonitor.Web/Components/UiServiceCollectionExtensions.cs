using BatchMonitor.Web.Components.Live;
using BatchMonitor.Web.Components.Ui;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BatchMonitor.Web.Components;

public static class UiServiceCollectionExtensions
{
    /// <summary>What the live pages need per circuit (tab): its connection state and its toasts.</summary>
    public static IServiceCollection AddBatchMonitorUi(this IServiceCollection services)
    {
        services.AddScoped<CircuitConnection>();
        services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<CircuitConnection>());
        services.AddScoped<ToastService>();
        return services;
    }
}
