using BatchMonitor.Core.Access;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Services;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BatchMonitor.Tests.Support;

/// <summary>
/// The whole app on a real Kestrel port (a browser needs one) over its own SQLite file, configured as an operator
/// would: a connection string and the first admin from configuration. Dispose stops it; the file stays when a
/// test hands in its own path (to start a second server on the same data).
/// </summary>
public sealed class BrowserServer : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@batchmonitor.test";
    public const string AdminPassword = "Browser-tests-1";

    private readonly bool _ownsFile;

    public BrowserServer(string? databasePath = null, int port = 0)
    {
        _ownsFile = databasePath is null;
        DatabasePath = databasePath ?? Path.Combine(Path.GetTempPath(), $"bm-browser-{Guid.NewGuid():N}.db");
        UseKestrel(port);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
    }

    public string DatabasePath { get; }

    /// <summary>Where the app listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    public BatchEvents Events => Services.GetRequiredService<BatchEvents>();

    /// <summary>A demo batch made through the app's own service: <paramref name="items"/> items of 100–300 ms, none failing.</summary>
    public Task<Guid> StartDemoAsync(int items, int concurrency = 2, int minMs = 100, int maxMs = 300, string? name = null) =>
        WithBatchesAsync(async batches =>
        {
            var result = await batches.CreateAsync(new CreateBatchRequest
            {
                Name = name,
                Handler = "demo",
                Items = Enumerable.Range(1, items).Select(i => new ItemInput($"key-{i:000}")).ToList(),
                Args = new System.Text.Json.Nodes.JsonObject { ["minMs"] = minMs, ["maxMs"] = maxMs, ["failureRate"] = 0 },
                Options = new OptionsInput { Concurrency = concurrency, MaxAttempts = 1 },
            }, Actor.Admin("browser-tests"));
            Assert.True(result.IsOk, $"The demo batch was refused: {result.Errors} {result.Conflict}");
            return result.Batch!.Id;
        });

    /// <summary>Runs something against the app's own batch service (one scope per call).</summary>
    public async Task<T> WithBatchesAsync<T>(Func<BatchService, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<BatchService>());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:BatchMonitor", $"Data Source={DatabasePath}");
        builder.UseSetting("BatchMonitor:Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("BatchMonitor:Bootstrap:AdminPassword", AdminPassword);
        // Each test signs in from its own browser context; the sign-in limit itself is tested with the API.
        builder.UseSetting("BatchMonitor:Auth:SignInAttemptsPerMinute", "1000");
        builder.UseSetting("BatchMonitor:Engine:MaxRunningBatches", "16");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
        // Open circuits must not hold a stopping test server for the default 30 s.
        builder.ConfigureServices(services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3)));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_ownsFile) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try
            {
                File.Delete(DatabasePath + suffix);
            }
            catch (IOException)
            {
            }
        }
    }
}
