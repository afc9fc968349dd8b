using BatchMonitor.Core;
using BatchMonitor.Core.Storage;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Storage;

/// <summary><c>BatchMonitor:Storage:Provider</c> chooses the store; a wrong or half-given choice stops the start, saying why.</summary>
public sealed class StorageProviderTests
{
    [Fact]
    public void A_provider_that_does_not_exist_stops_the_start_naming_the_ones_that_do()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Configure(new() { ["BatchMonitor:Storage:Provider"] = "mysql" }));
        Assert.Contains("'mysql'", e.Message);
        Assert.Contains("'sqlite'", e.Message);
        Assert.Contains("'postgres'", e.Message);
    }

    [Fact]
    public async Task A_provider_that_does_not_exist_stops_the_app_before_it_serves()
    {
        await using var app = BatchMonitorApp.With(new Dictionary<string, string?> { ["BatchMonitor:Storage:Provider"] = "oracle" });
        var e = await Assert.ThrowsAnyAsync<Exception>(app.InitializeAsync);
        Assert.Contains("BatchMonitor:Storage:Provider 'oracle'", e.ToString());
    }

    [Fact]
    public void Postgres_without_a_connection_string_stops_the_start_saying_what_to_set()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Configure(new() { ["BatchMonitor:Storage:Provider"] = "postgres" }));
        Assert.Contains("ConnectionStrings:BatchMonitor", e.Message);
        Assert.Contains("Host=", e.Message);
    }

    [Theory]
    [InlineData(null, typeof(BatchMonitorDbContext), "Microsoft.EntityFrameworkCore.Sqlite")]
    [InlineData("sqlite", typeof(BatchMonitorDbContext), "Microsoft.EntityFrameworkCore.Sqlite")]
    [InlineData("postgres", typeof(PostgresBatchMonitorDbContext), "Npgsql.EntityFrameworkCore.PostgreSQL")]
    [InlineData("PostgreSQL", typeof(PostgresBatchMonitorDbContext), "Npgsql.EntityFrameworkCore.PostgreSQL")]
    public async Task Each_provider_hands_out_its_own_context_behind_the_one_everything_asks_for(string? provider, Type context, string efProvider)
    {
        await using var services = Configure(new()
        {
            ["BatchMonitor:Storage:Provider"] = provider,
            ["ConnectionStrings:BatchMonitor"] = provider?.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) == true
                ? "Host=127.0.0.1;Database=nowhere;Username=postgres"
                : $"Data Source={Path.Combine(Path.GetTempPath(), $"bm-provider-{Guid.NewGuid():N}.db")}",
        });
        await using var db = await services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        Assert.Equal(context, db.GetType());
        Assert.Equal(efProvider, db.Database.ProviderName);
    }

    private static ServiceProvider Configure(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddBatchMonitorCore(configuration);
        return services.BuildServiceProvider();
    }
}
