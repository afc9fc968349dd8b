using BatchMonitor.Core.Storage;
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
