using System.Security.Claims;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Components;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BatchMonitor.Tests.Support;

/// <summary>What components need beyond Core when bunit renders them: the UI's own services and a signed-in user.</summary>
public static class ComponentTestServices
{
    /// <summary>
    /// Makes <paramref name="context"/> one circuit of the app: the UI's services are its own (scoped to it), and
    /// whatever else a component asks for (BatchService, the events, the clock) comes from <paramref name="circuit"/>,
    /// a scope of the app's services that lives as long as the context. Navigation, JS and query parameters are bunit's.
    /// </summary>
    public static BunitContext AddComponentTestServices(this BunitContext context, IServiceProvider circuit)
    {
        // bunit waits a second by default (a static of its own); on two shared cores a page may take longer.
        BunitContext.DefaultWaitTimeout = Wait.Limit;
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        // No prerendered state to hand over: pages read the store, as on a first visit.
        context.AddBunitPersistentComponentState();

        var services = context.Services;
        // Built here (the toasts need the app's clock), so the clock is registered here too.
        services.AddSingleton(circuit.GetRequiredService<TimeProvider>());
        services.AddBatchMonitorUi();
        // Signed in as an admin unless a test says otherwise (TestUser.Role).
        services.AddScoped<TestUser>();
        services.AddScoped<AuthenticationStateProvider>(sp => sp.GetRequiredService<TestUser>());
        services.AddCascadingAuthenticationState();
        // The app's authorization (AuthorizeView Roles=...), in place of bunit's placeholder that refuses to be used.
        services.AddAuthorizationCore();
        services.Replace(ServiceDescriptor.Transient<IAuthorizationService, DefaultAuthorizationService>());
        services.AddScoped<CurrentUser>();
        services.AddFallbackServiceProvider(circuit);
        return context;
    }
}

/// <summary>
/// The signed-in user of a component test; an admin unless <see cref="Role"/> is changed. Nothing is told of a change
/// (as when a role is taken away while a page is open): what is rendered stays, and the next command reads the new role.
/// </summary>
public sealed class TestUser : AuthenticationStateProvider
{
    public string Name { get; set; } = "admin@example.com";

    public string Role { get; set; } = Roles.Admin;

    public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
        Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, Name), new Claim(ClaimTypes.Role, Role)], "test"))));
}
