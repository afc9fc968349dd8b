using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Core.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the store: a pooled <see cref="IDbContextFactory{TContext}"/> (one context per operation).</summary>
    public static IServiceCollection AddBatchMonitorStorage(this IServiceCollection services, StorageOptions options)
    {
        if (!string.Equals(options.Provider, "sqlite", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException(
                $"BatchMonitor:Storage:Provider '{options.Provider}' is not supported by this build; use 'sqlite'.");

        var connectionString = PrepareSqlite(options.ConnectionString);
        services.AddSingleton(options);
        services.AddPooledDbContextFactory<BatchMonitorDbContext>(o => ConfigureSqlite(o, connectionString));
        services.AddSingleton<DatabaseMigrator>();
        return services;
    }

    /// <summary>
    /// SQLite with its pragmas; migrations from Storage/Migrations/Sqlite, made by <c>dotnet ef</c>. A model change
    /// without its migration stops the start (EF's pending-model-changes error), as it fails the tests.
    /// </summary>
    internal static void ConfigureSqlite(DbContextOptionsBuilder o, string connectionString) =>
        o.UseSqlite(connectionString, s => s.MigrationsAssembly(typeof(BatchMonitorDbContext).Assembly.GetName().Name))
            .AddInterceptors(new SqlitePragmas());

    /// <summary>Creates the database's folder, so a fresh clone needs nothing but <c>dotnet run</c>.</summary>
    internal static string PrepareSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } path && path != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            builder.DataSource = full;
        }
        return builder.ToString();
    }
}
