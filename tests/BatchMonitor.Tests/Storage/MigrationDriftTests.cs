using BatchMonitor.Core.Storage;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth.Store;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Tests.Storage;

/// <summary>
/// Migrations are made by <c>dotnet ef</c> against a model snapshot per context: a model change without its
/// migration shows here (and would stop the app's start) until <c>dotnet ef migrations add</c> has been run.
/// </summary>
public sealed class MigrationDriftTests
{
    [Fact]
    public void The_store_model_has_no_changes_its_migrations_lack()
    {
        using var db = StoreContext("Data Source=:memory:");
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --project src/BatchMonitor.Core --context BatchMonitorDbContext --output-dir Storage/Migrations/Sqlite");
    }

    [Fact]
    public void The_auth_model_has_no_changes_its_migrations_lack()
    {
        using var db = AuthContext("Data Source=:memory:");
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --project src/BatchMonitor.Web --context AuthDbContext --output-dir Auth/Store/Migrations/Sqlite");
    }

    [Fact]
    public void The_postgres_store_model_has_no_changes_its_migrations_lack()
    {
        using var db = PostgresStoreContext(PostgresDesignTimeDbContextFactory.PlaceholderConnectionString);
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --project src/BatchMonitor.Core --context PostgresBatchMonitorDbContext --output-dir Storage/Migrations/Postgres");
    }

    [Fact]
    public void The_postgres_auth_model_has_no_changes_its_migrations_lack()
    {
        using var db = PostgresAuthContext(PostgresDesignTimeDbContextFactory.PlaceholderConnectionString);
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --project src/BatchMonitor.Web --context PostgresAuthDbContext --output-dir Auth/Store/Migrations/Postgres");
    }

    [Fact]
    public async Task The_postgres_migrations_apply_to_an_empty_database_and_again_without_change()
    {
        var server = await PostgresServer.InstanceAsync();
        var connectionString = await server.CreateDatabaseAsync(migrated: false);
        try
        {
            for (var start = 0; start < 2; start++)
            {
                await using var store = PostgresStoreContext(connectionString);
                await store.Database.MigrateAsync();
                Assert.Equal(store.Database.GetMigrations(), await store.Database.GetAppliedMigrationsAsync());
                await using var auth = PostgresAuthContext(connectionString);
                await auth.Database.MigrateAsync();
                Assert.Equal(auth.Database.GetMigrations(), await auth.Database.GetAppliedMigrationsAsync());
            }
            await using var db = PostgresStoreContext(connectionString);
            Assert.Equal(["PostgresBatchMonitorDbContext"], [db.GetType().Name]);
            Assert.NotEmpty(db.Database.GetMigrations());
            Assert.DoesNotContain(db.Database.GetMigrations(), m => m.EndsWith("_Baseline", StringComparison.Ordinal));
        }
        finally
        {
            await server.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task The_database_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bm-pragma-{Guid.NewGuid():N}.db");
        try
        {
            await using var db = StoreContext($"Data Source={path}");
            await db.Database.MigrateAsync();
            await db.Database.OpenConnectionAsync();
            Assert.Equal("wal", await ScalarAsync(db, "PRAGMA journal_mode"));
            Assert.Equal("1", await ScalarAsync(db, "PRAGMA foreign_keys"));
            Assert.Equal("5000", await ScalarAsync(db, "PRAGMA busy_timeout"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        }
    }

    /// <summary>The store's context, configured as the app configures it.</summary>
    internal static BatchMonitorDbContext StoreContext(string connectionString)
    {
        var options = new DbContextOptionsBuilder<BatchMonitorDbContext>();
        StorageServiceCollectionExtensions.ConfigureSqlite(options, connectionString);
        return new BatchMonitorDbContext(options.Options);
    }

    /// <summary>The PostgreSQL store's context, configured as the app configures it.</summary>
    internal static PostgresBatchMonitorDbContext PostgresStoreContext(string connectionString)
    {
        var options = new DbContextOptionsBuilder<PostgresBatchMonitorDbContext>();
        StorageServiceCollectionExtensions.ConfigurePostgres(options, connectionString);
        return new PostgresBatchMonitorDbContext(options.Options);
    }

    /// <summary>The PostgreSQL auth context, configured as the app configures it.</summary>
    internal static PostgresAuthDbContext PostgresAuthContext(string connectionString)
    {
        var options = new DbContextOptionsBuilder<PostgresAuthDbContext>();
        AuthDbContext.ConfigurePostgres(options, connectionString);
        return new PostgresAuthDbContext(options.Options);
    }

    /// <summary>The auth context, configured as the app configures it.</summary>
    internal static AuthDbContext AuthContext(string connectionString)
    {
        var options = new DbContextOptionsBuilder<AuthDbContext>();
        AuthDbContext.ConfigureSqlite(options, connectionString);
        return new AuthDbContext(options.Options);
    }

    private static async Task<string?> ScalarAsync(BatchMonitorDbContext db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync());
    }
}
