using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BatchMonitor.Core.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the store of <see cref="StorageOptions.Provider"/> (<c>sqlite</c> or <c>postgres</c>): a pooled
    /// <see cref="IDbContextFactory{TContext}"/> of <see cref="BatchMonitorDbContext"/> (one context per operation),
    /// whichever provider's context type stands behind it.
    /// </summary>
    public static IServiceCollection AddBatchMonitorStorage(this IServiceCollection services, StorageOptions options)
    {
        services.AddSingleton(options);
        var connectionString = ConnectionStringOf(options);
        switch (StorageOptions.Normalize(options.Provider))
        {
            case StorageOptions.Sqlite:
                services.AddPooledDbContextFactory<BatchMonitorDbContext>(o => ConfigureSqlite(o, connectionString));
                break;
            case StorageOptions.Postgres:
                services.AddPooledDbContextFactory<PostgresBatchMonitorDbContext>(o => ConfigurePostgres(o, connectionString));
                services.AddSingleton<IDbContextFactory<BatchMonitorDbContext>>(sp =>
                    new StoreContextFactory<PostgresBatchMonitorDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresBatchMonitorDbContext>>()));
                break;
        }
        services.AddSingleton<DatabaseMigrator>();
        return services;
    }

    /// <summary>
    /// The connection string the provider opens: for SQLite the file's full path (its folder created), for PostgreSQL
    /// the string checked, or a start-up error that says what to configure.
    /// </summary>
    public static string ConnectionStringOf(StorageOptions options) =>
        StorageOptions.Normalize(options.Provider) == StorageOptions.Postgres
            ? PreparePostgres(options.ConnectionString)
            : PrepareSqlite(options.ConnectionString);

    /// <summary>
    /// SQLite with its pragmas; migrations from Storage/Migrations/Sqlite, made by <c>dotnet ef</c>. A model change
    /// without its migration stops the start (EF's pending-model-changes error), as it fails the tests.
    /// </summary>
    internal static void ConfigureSqlite(DbContextOptionsBuilder o, string connectionString) =>
        o.UseSqlite(connectionString, s => s.MigrationsAssembly(typeof(BatchMonitorDbContext).Assembly.GetName().Name))
            .AddInterceptors(SqlitePragmas);

    /// <summary>
    /// PostgreSQL (Npgsql); migrations from Storage/Migrations/Postgres, made by <c>dotnet ef</c>. Reads tagged
    /// <see cref="RowLocks.ForUpdate{T}"/> lock their rows.
    /// </summary>
    internal static void ConfigurePostgres(DbContextOptionsBuilder o, string connectionString) =>
        o.UseNpgsql(connectionString, n => n.MigrationsAssembly(typeof(BatchMonitorDbContext).Assembly.GetName().Name))
            .AddInterceptors(ForUpdate);

    // One instance of each (they hold no state): EF Core keeps its internal services, compiled queries included, per set of
    // options, and interceptors count as options by instance. With new ones for every service provider, each provider
    // in a process (a test's, a bench run's) compiled every query again.
    private static readonly SqlitePragmas SqlitePragmas = new();
    private static readonly ForUpdateInterceptor ForUpdate = new();

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

    /// <summary>A PostgreSQL connection string, or a start-up error that says what to configure.</summary>
    internal static string PreparePostgres(string connectionString)
    {
        const string Example = "e.g. ConnectionStrings__BatchMonitor='Host=localhost;Database=batchmonitor;Username=batchmonitor;Password=…'";
        if (string.IsNullOrWhiteSpace(connectionString) || connectionString == StorageOptions.DefaultConnectionString)
            throw new InvalidOperationException(
                $"BatchMonitor:Storage:Provider is 'postgres' but ConnectionStrings:BatchMonitor is not set to a PostgreSQL database ({Example}).");
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrEmpty(builder.Host))
                throw new InvalidOperationException($"ConnectionStrings:BatchMonitor names no Host for PostgreSQL ({Example}).");
            return builder.ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"ConnectionStrings:BatchMonitor is not a PostgreSQL connection string: {e.Message} ({Example}).", e);
        }
    }
}

/// <summary>Hands out a provider's own context type wherever the store's context is asked for.</summary>
internal sealed class StoreContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<BatchMonitorDbContext>
    where TContext : BatchMonitorDbContext
{
    public BatchMonitorDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<BatchMonitorDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
