using BatchMonitor.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BatchMonitor.Web.Auth.Store;

/// <summary>
/// How <c>dotnet ef</c> makes the auth context (README: "Add a migration"): SQLite, configured as the app does, on the
/// default database, without starting the app. Only the tools use it.
/// </summary>
internal sealed class DesignTimeAuthDbContextFactory : IDesignTimeDbContextFactory<AuthDbContext>
{
    public AuthDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AuthDbContext>();
        AuthDbContext.ConfigureSqlite(options, StorageOptions.DefaultConnectionString);
        return new AuthDbContext(options.Options);
    }
}
