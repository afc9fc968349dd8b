using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BatchMonitor.Core.Json;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Auth.ApiKeys;
using BatchMonitor.Web.Auth.Store;
using BatchMonitor.Web.Auth.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Tests.Support;

/// <summary>
/// The whole application in memory on its own temporary SQLite file: started with the bootstrap settings (an admin
/// and an admin API key), plus a viewer with a password and a viewer key. Clients: anonymous, by key, or signed in
/// through the real /login form.
/// </summary>
public partial class BatchMonitorApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "admin-password-1";
    public const string AdminKey = "test-admin-key-0123456789";
    public const string ViewerEmail = "viewer@test.local";
    public const string ViewerPassword = "viewer-password-1";

    private readonly string _folder;
    private readonly bool _ownsFolder;
    private readonly TestStore _store;
    private TestDatabase? _database;
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public BatchMonitorApp() : this(settings: null)
    {
    }

    /// <summary>A folder for <see cref="With"/>'s <c>folder</c>: two apps on it in turn are one server restarted.</summary>
    public static string NewFolder() => Path.Combine(Path.GetTempPath(), $"bm-web-{Guid.NewGuid():N}");

    /// <summary>An app of a test's own (call <see cref="InitializeAsync"/>, dispose it).</summary>
    /// <param name="settings">Configuration on top of the defaults; a null value removes a default (e.g. the bootstrap admin).</param>
    /// <param name="folder">Where the database and keys live; the caller deletes it. A new temporary folder when null.</param>
    public static BatchMonitorApp With(IDictionary<string, string?>? settings, Action<IServiceCollection>? services = null,
        string? folder = null) => new(settings, services, folder);

    /// <summary>The app on a provider's database of its own (<see cref="PostgresBatchMonitorApp"/>).</summary>
    protected BatchMonitorApp(TestStore store) : this(null, store: store)
    {
    }

    private BatchMonitorApp(IDictionary<string, string?>? settings, Action<IServiceCollection>? services = null, string? folder = null,
        TestStore? store = null)
    {
        _store = store ?? TestStore.Sqlite;
        _ownsFolder = folder is null;
        _folder = folder ?? NewFolder();
        Directory.CreateDirectory(_folder);
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:BatchMonitor"] = $"Data Source={DatabasePath}",
            ["BatchMonitor:Bootstrap:AdminEmail"] = AdminEmail,
            ["BatchMonitor:Bootstrap:AdminPassword"] = AdminPassword,
            ["BatchMonitor:Bootstrap:ApiKey"] = AdminKey,
            ["BatchMonitor:Auth:SignInAttemptsPerMinute"] = "1000",
            ["BatchMonitor:Auth:ApiKeyFailuresPerMinute"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
        _services = services;
    }

    public string DatabasePath => Path.Combine(_folder, "batchmonitor.db");

    public string DataFolder => _folder;

    public LogCapture Logs { get; } = new();

    /// <summary>The <c>gate</c> handler, registered in every test app: its batches stay running until opened.</summary>
    public GateHandler Gate { get; } = new();

    /// <summary>A viewer-role key (created by the admin) and the viewer's own sign-in.</summary>
    public string ViewerKey { get; private set; } = "";

    public static JsonSerializerOptions Json { get; } = JsonDefaults.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<BatchMonitor.Core.Handlers.IBatchHandler>(Gate);
            _services?.Invoke(services);
        });
    }

    /// <summary>The app's PostgreSQL database (null on SQLite, whose file is <see cref="DatabasePath"/>).</summary>
    public TestDatabase? Database => _database;

    public virtual async Task InitializeAsync()
    {
        if (_store.IsPostgres && _database is null)
        {
            _database = await _store.CreateDatabaseAsync();
            foreach (var (key, value) in _database.Settings) _settings[key] = value;
        }
        _ = Services; // starts the host: migrations and the bootstrap admin
        if (_store.IsPostgres)
        {
            await using var db = await Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
            Assert.IsType<PostgresBatchMonitorDbContext>(db); // the app runs on the test's PostgreSQL database, not a file
        }
        if (_settings["BatchMonitor:Bootstrap:AdminEmail"] is null) return;
        var users = Services.GetRequiredService<UserDirectory>();
        if ((await users.ListAsync()).Any(u => u.Email == ViewerEmail)) return; // a restart on the same folder
        var errors = await users.CreateAsync(ViewerEmail, ViewerPassword, Roles.Viewer);
        Assert.True(errors.IsValid, errors.ToString());
        var admin = (await users.ListAsync()).Single(u => u.Email == AdminEmail);
        ViewerKey = (await Services.GetRequiredService<ApiKeyService>().CreateAsync("viewer script", Roles.Viewer, admin.Id, AdminEmail)).Key;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsFolder) return;
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>
    /// A client whose requests come from <paramref name="address"/> (the connection's remote address, as a proxy or a
    /// browser elsewhere would be), keeping cookies like the other clients.
    /// </summary>
    public HttpClient From(string address)
    {
        var ip = IPAddress.Parse(address);
        var handler = new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler
        {
            InnerHandler = Server.CreateHandler(context => context.Connection.RemoteIpAddress = ip),
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://localhost") };
    }

    public HttpClient WithKey(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add(ApiKeyFormat.Header, key);
        return client;
    }

    public HttpClient Admin() => WithKey(AdminKey);

    public HttpClient Viewer() => WithKey(ViewerKey);

    /// <summary>Signs in through the /login form (antiforgery token and all) and returns a client holding the cookie.</summary>
    public async Task<HttpClient> SignedInAsync(string email, string password)
    {
        var client = Anonymous();
        var response = await PostLoginAsync(client, email, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in of {email} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>Posts the sign-in form as a browser would.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var page = await client.GetStringAsync("/login");
        var form = new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        };
        var url = returnUrl is null ? "/login" : $"/login?returnUrl={Uri.EscapeDataString(returnUrl)}";
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    public static string AntiforgeryToken(string html) =>
        AntiforgeryPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException("The page has no antiforgery token.");

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryPattern();

    public async Task<T> ServiceAsync<T>(Func<IServiceProvider, Task<T>> use)
    {
        await using var scope = Services.CreateAsyncScope();
        return await use(scope.ServiceProvider);
    }

    /// <summary>Rows in the batches and items tables: what "nothing stored" is checked against.</summary>
    public async Task<(int Batches, int Items)> CountStoredAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        return (await db.Batches.CountAsync(), await db.Items.CountAsync());
    }

    public async Task<AuthDbContext> AuthDbAsync() =>
        await Services.GetRequiredService<IDbContextFactory<AuthDbContext>>().CreateDbContextAsync();

    /// <summary>Creates a batch over HTTP with the admin key and returns it (202 expected).</summary>
    public async Task<BatchView> CreateBatchAsync(object body, HttpClient? client = null)
    {
        var response = await (client ?? Admin()).PostAsJsonAsync("/api/v1/batches", body, Json);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<BatchView>(Json))!;
    }

    /// <summary>Polls GET /api/v1/batches/{id} until the status is one of those given (never a fixed sleep).</summary>
    public async Task<BatchView> WaitForStatusAsync(Guid id, params string[] statuses)
    {
        using var client = Admin();
        BatchView? batch = null;
        await Wait.UntilAsync(async () =>
        {
            batch = await client.GetFromJsonAsync<BatchView>($"/api/v1/batches/{id}", Json);
            return batch is not null && statuses.Contains(Core.Domain.StatusNames.Name(batch.Status));
        }, $"batch {id} to become {string.Join(" or ", statuses)}");
        return batch!;
    }
}

/// <summary>The whole application on a PostgreSQL database of its own (one per app, from <see cref="PostgresServer"/>).</summary>
public sealed class PostgresBatchMonitorApp() : BatchMonitorApp(TestStore.Postgres);

/// <summary>Reads a response as problem+json and checks the essentials.</summary>
public static class Problems
{
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    public static IReadOnlyList<string> ErrorFields(this JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(p => p.Name).ToList() : [];

    public static MediaTypeHeaderValue Json => new("application/json");
}
