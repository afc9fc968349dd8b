using System.Collections.Concurrent;
using System.Security.Claims;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;

namespace BatchMonitor.Tests.Support;

/// <summary>What components need beyond Core when rendered by <see cref="ComponentTestContext"/>: the UI's own services, navigation, JS.</summary>
public static class ComponentTestServices
{
    public static IServiceCollection AddComponentTestServices(this IServiceCollection services)
    {
        services.AddBatchMonitorUi();
        services.AddScoped<NavigationManager, TestNavigationManager>();
        // [SupplyParameterFromQuery] reads the test navigation's address, as it reads the browser's.
        services.AddSupplyValueFromQueryProvider();
        services.AddScoped<RecordingJsRuntime>();
        services.AddScoped<IJSRuntime>(sp => sp.GetRequiredService<RecordingJsRuntime>());
        // No prerendered state to hand over: pages read the store, as on a first visit.
        services.AddScoped<ComponentStatePersistenceManager>();
        services.AddScoped(sp => sp.GetRequiredService<ComponentStatePersistenceManager>().State);
        // Signed in as an admin unless a test says otherwise (TestUser.Role).
        services.AddScoped<TestUser>();
        services.AddScoped<AuthenticationStateProvider>(sp => sp.GetRequiredService<TestUser>());
        services.AddCascadingAuthenticationState();
        services.AddAuthorizationCore();
        services.AddScoped<CurrentUser>();
        return services;
    }
}

/// <summary>The signed-in user of a component test; an admin unless <see cref="Role"/> is changed before rendering.</summary>
public sealed class TestUser : AuthenticationStateProvider
{
    public string Name { get; set; } = "admin@example.com";

    public string Role { get; set; } = Roles.Admin;

    public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
        Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, Name), new Claim(ClaimTypes.Role, Role)], "test"))));
}

/// <summary>Navigation that only remembers where it was sent.</summary>
public sealed class TestNavigationManager : NavigationManager
{
    public TestNavigationManager() => Initialize("http://localhost/", "http://localhost/");

    public List<string> History { get; } = [];

    protected override void NavigateToCore(string uri, NavigationOptions options)
    {
        Uri = ToAbsoluteUri(uri).ToString();
        History.Add(Uri);
        NotifyLocationChanged(isInterceptedLink: false);
    }
}

/// <summary>A browser that answers every JS call with nothing and remembers which functions were called.</summary>
public sealed class RecordingJsRuntime : IJSRuntime
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
        InvokeAsync<TValue>(identifier, CancellationToken.None, args);

    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args)
    {
        Calls.Enqueue(identifier);
        return ValueTask.FromResult(default(TValue)!);
    }
}
