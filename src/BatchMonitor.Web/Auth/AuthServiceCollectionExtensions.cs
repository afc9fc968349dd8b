using System.Threading.RateLimiting;
using BatchMonitor.Core.Storage;
using BatchMonitor.Web.Auth.ApiKeys;
using BatchMonitor.Web.Auth.Passwords;
using BatchMonitor.Web.Auth.Setup;
using BatchMonitor.Web.Auth.SignIn;
using BatchMonitor.Web.Auth.Store;
using BatchMonitor.Web.Auth.Users;
using BatchMonitor.Web.Endpoints.Infrastructure;
using BatchMonitor.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Web.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>Rate limiter policy of the sign-in and setup forms.</summary>
    public const string SignInLimit = "sign-in";

    /// <summary>
    /// Sign-in for pages (an Identity cookie) and scripts (<c>X-Api-Key</c>), the roles, the user and key stores in the
    /// batches' database, and a fallback policy: everything needs a signed-in user unless it says otherwise.
    /// </summary>
    public static IServiceCollection AddBatchMonitorAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AuthSettings>(configuration.GetSection(AuthSettings.Section));
        services.Configure<BootstrapSettings>(configuration.GetSection(BootstrapSettings.Section));
        var settings = configuration.GetSection(AuthSettings.Section).Get<AuthSettings>() ?? new AuthSettings();

        var storage = StorageOptions.From(configuration);
        var connectionString = StorageServiceCollectionExtensions.ConnectionStringOf(storage);
        if (storage.Provider == StorageOptions.Postgres)
        {
            services.AddPooledDbContextFactory<PostgresAuthDbContext>(o => AuthDbContext.ConfigurePostgres(o, connectionString));
            services.AddSingleton<IDbContextFactory<AuthDbContext>>(sp =>
                new AuthContextFactory<PostgresAuthDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresAuthDbContext>>()));
        }
        else
        {
            services.AddPooledDbContextFactory<AuthDbContext>(o => AuthDbContext.ConfigureSqlite(o, connectionString));
        }
        // Pooled: every API request looks its key up, and a context from the pool skips building one's services anew.
        // Identity's stores take the scoped one, handed back to the pool when the request (or circuit) ends.
        services.AddScoped<AuthDbContext>(sp => sp.GetRequiredService<IDbContextFactory<AuthDbContext>>().CreateDbContext());
        services.AddDataProtection().SetApplicationName("BatchMonitor").PersistKeysToFileSystem(KeysFolder(storage, connectionString));

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
                o.DefaultForbidScheme = SmartScheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie or API key", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyFormat.Header) ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o => ConfigureCookie(o, settings));
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromSeconds(Math.Max(0, settings.RevalidateSeconds)));

        services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.User.AllowedUserNameCharacters = string.Empty; // any: the user name is the email, checked as one
                o.Password.RequiredLength = PasswordRules.MinLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                // Wrong passwords are held back per email and address (SignInThrottle), never by locking the account.
                o.Lockout.AllowedForNewUsers = false;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AuthDbContext>()
            .AddPasswordValidator<PasswordRules>()
            .AddSignInManager<BatchMonitorSignInManager>()
            .AddDefaultTokenProviders();

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthStateProvider>();
        services.AddScoped<CurrentUser>();
        services.AddHttpContextAccessor();
        services.AddTransient<IClaimsTransformation, ClientAddressClaims>();

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "local",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, settings.SignInAttemptsPerMinute), Window = TimeSpan.FromMinutes(1) })
                : RateLimitPartition.GetNoLimiter("read"));
            o.OnRejected = async (context, ct) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(after.TotalSeconds)).ToString();
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many sign-in attempts from this address; wait a minute and try again.", ct);
            };
        });

        services.AddSingleton<CheckedApiKeys>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<ApiKeyFailureLimiter>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<UserChanges>();
        services.AddSingleton<SessionCheck>();
        services.AddSingleton<SetupState>();
        services.AddSingleton<AuthBootstrapper>();
        return services;
    }

    /// <summary>Migrates the auth tables, creates the roles and, on a first unattended start, the first admin.</summary>
    public static Task PrepareAuthAsync(this WebApplication app) =>
        app.Services.GetRequiredService<AuthBootstrapper>().RunAsync(app.Lifetime.ApplicationStopping);

    /// <summary>Who is asking (cookie or key), no cookie changes from other sites, the setup redirect, the sign-in rate limit, and who may do what.</summary>
    public static IApplicationBuilder UseBatchMonitorAuth(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        app.UseMiddleware<CrossSiteRequestGuard>();
        app.UseMiddleware<SetupGate>();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    private const string SmartScheme = "CookieOrApiKey";

    private static void ConfigureCookie(CookieAuthenticationOptions o, AuthSettings settings)
    {
        o.Cookie.Name = "BatchMonitor.Session";
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = TimeSpan.FromHours(Math.Max(1, settings.SessionHours));
        o.SlidingExpiration = true;
        o.LoginPath = "/login";
        o.LogoutPath = "/logout";
        o.AccessDeniedPath = "/access-denied";
        o.ReturnUrlParameter = "returnUrl";
        // Identity's check (every RevalidateSeconds) first, then ours on every request: a demoted, disabled or removed
        // user's cookie stops working on their next request.
        var stampCheck = o.Events.OnValidatePrincipal;
        o.Events.OnValidatePrincipal = async context =>
        {
            await stampCheck(context);
            if (context.Principal?.Identity?.IsAuthenticated != true) return;
            var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionCheck>();
            if (await sessions.IsCurrentAsync(context.Principal, context.HttpContext.RequestAborted)) return;
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        };
        o.Events.OnRedirectToLogin = context => ApiPaths.IsMachinePath(context.Request.Path)
            ? ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized)
            : Redirect(context);
        o.Events.OnRedirectToAccessDenied = context => ApiPaths.IsMachinePath(context.Request.Path)
            ? ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, detail: "Viewers can look but not change; this needs the admin role.")
            : Redirect(context);
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Data-protection keys live next to the SQLite database, so sign-ins survive a restart; with PostgreSQL in
    /// <c>data/keys</c> under the working folder.
    /// </summary>
    private static DirectoryInfo KeysFolder(StorageOptions storage, string connectionString)
    {
        if (storage.Provider == StorageOptions.Postgres) return Directory.CreateDirectory(Path.GetFullPath(Path.Combine("data", "keys")));
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = string.IsNullOrEmpty(source) || source == ":memory:"
            ? Path.Combine(Path.GetTempPath(), "batchmonitor-keys")
            : Path.Combine(Path.GetDirectoryName(source)!, "keys");
        return Directory.CreateDirectory(folder);
    }
}

/// <summary>Hands out a provider's own auth context type wherever the auth context is asked for.</summary>
internal sealed class AuthContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<AuthDbContext>
    where TContext : AuthDbContext
{
    public AuthDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<AuthDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
