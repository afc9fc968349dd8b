using BatchMonitor.Web.Components.Live;
using BatchMonitor.Web.Components.Ui;
using Microsoft.AspNetCore.Components.Server.Circuits;
using MudBlazor;
using MudBlazor.Services;

namespace BatchMonitor.Web.Components;

public static class UiServiceCollectionExtensions
{
    /// <summary>What the live pages need per circuit (tab): MudBlazor, its connection state, its dialogs and notifications.</summary>
    public static IServiceCollection AddBatchMonitorUi(this IServiceCollection services)
    {
        services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight;
            options.SnackbarConfiguration.MaxDisplayedSnackbars = 3;
            options.SnackbarConfiguration.PreventDuplicates = true;
            options.SnackbarConfiguration.NewestOnTop = true;
            options.SnackbarConfiguration.ShowCloseIcon = true;
            options.SnackbarConfiguration.VisibleStateDuration = (int)Notifications.Lifetime.TotalMilliseconds;
        });
        services.AddScoped<CircuitConnection>();
        services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<CircuitConnection>());
        services.AddScoped<Confirmations>();
        return services;
    }
}
