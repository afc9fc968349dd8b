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
