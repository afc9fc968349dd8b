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

/// <summary>How <c>dotnet ef</c> makes the PostgreSQL auth context; adding a migration connects to no server.</summary>
internal sealed class PostgresDesignTimeAuthDbContextFactory : IDesignTimeDbContextFactory<PostgresAuthDbContext>
{
    public PostgresAuthDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresAuthDbContext>();
        AuthDbContext.ConfigurePostgres(options, "Host=localhost;Database=batchmonitor;Username=postgres");
        return new PostgresAuthDbContext(options.Options);
    }
}
