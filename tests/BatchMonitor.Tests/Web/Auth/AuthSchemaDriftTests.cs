using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using static BatchMonitor.Tests.Storage.MigrationDriftTests;

namespace BatchMonitor.Tests.Web.Auth;

/// <summary>
/// The auth migrations apply on a start and on every start after it without change. (That the model has no change
/// they lack: Storage/MigrationDriftTests; that an older database upgrades: Storage/MigrationUpgradeTests.)
/// </summary>
public sealed class AuthSchemaDriftTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bm-auth-drift-").FullName;

    [Fact]
    public async Task The_migrations_apply_again_without_change_and_leave_nothing_pending()
    {
        var path = Path.Combine(_folder, "twice.db");
        await using (var db = AuthContext($"Data Source={path}")) await db.Database.MigrateAsync();
        await using (var db = AuthContext($"Data Source={path}"))
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
