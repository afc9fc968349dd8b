using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// How <c>dotnet ef</c> makes the store's context (README: "Add a migration"): SQLite, configured as the app does,
/// on the default database. Only the tools use it.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<BatchMonitorDbContext>
{
    public BatchMonitorDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<BatchMonitorDbContext>();
        StorageServiceCollectionExtensions.ConfigureSqlite(options, StorageOptions.DefaultConnectionString);
        return new BatchMonitorDbContext(options.Options);
    }
}

/// <summary>
/// How <c>dotnet ef</c> makes the PostgreSQL store's context: configured as the app does. Adding a migration connects
/// to no server; the connection string is only a placeholder (pass <c>--connection</c> to update a real database).
/// </summary>
internal sealed class PostgresDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgresBatchMonitorDbContext>
{
    public const string PlaceholderConnectionString = "Host=localhost;Database=batchmonitor;Username=postgres";

    public PostgresBatchMonitorDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresBatchMonitorDbContext>();
        StorageServiceCollectionExtensions.ConfigurePostgres(options, PlaceholderConnectionString);
        return new PostgresBatchMonitorDbContext(options.Options);
    }
}
