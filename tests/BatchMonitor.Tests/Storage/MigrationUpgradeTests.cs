using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth.Store;
using BatchMonitor.Web.Auth.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using static BatchMonitor.Tests.Storage.MigrationDriftTests;

namespace BatchMonitor.Tests.Storage;

/// <summary>
/// Until December 2026 migrations were written by hand, without a model snapshot; since then dotnet ef makes them,
/// starting from an empty baseline per context. A database made by the hand-written migrations alone (what every
/// server had) upgrades on the next start without losing a row, and ends up with the schema a new database gets.
/// </summary>
public sealed class MigrationUpgradeTests : IDisposable
{
    /// <summary>The last hand-written migration of each context: what the app applied before dotnet ef took over.</summary>
    private const string LastHandWrittenStore = "20261122020000_Schedules";
    private const string LastHandWrittenAuth = "20261122100000_Auth";

    private static readonly DateTime At = new(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc);
    private readonly string _folder = BatchMonitorApp.NewFolder();

    [Fact]
    public async Task A_database_made_by_the_hand_written_migrations_starts_on_the_new_ones_with_its_batches_datasets_schedules_and_users()
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "batchmonitor.db");
        var ids = await CreateOldDatabaseAsync($"Data Source={path}");

        // The app's start migrates both contexts (no bootstrap admin: the old database already has its user).
        await using (var app = BatchMonitorApp.With(new Dictionary<string, string?>
                     {
                         ["BatchMonitor:Bootstrap:AdminEmail"] = null,
                         ["BatchMonitor:Bootstrap:AdminPassword"] = null,
                         ["BatchMonitor:Bootstrap:ApiKey"] = null,
                     }, folder: _folder))
        {
            await app.InitializeAsync();
            await using var scope = app.Services.CreateAsyncScope();
            var services = scope.ServiceProvider;

            var batch = await services.GetRequiredService<BatchService>().GetAsync(ids.Batch);
            Assert.Equal(("nightly accounts", BatchStatus.Paused, 3), (batch!.Name, batch.Status, batch.Total));
            var items = await services.GetRequiredService<BatchService>().ItemsAsync(ids.Batch, new ItemQuery());
            Assert.Equal(["alice", "bob", "carol"], items!.Items.Select(i => i.Key));
            var logs = await services.GetRequiredService<BatchService>().LogsAsync(ids.Batch);
            Assert.Equal("Paused by admin@old.local", Assert.Single(logs!).Message);

            var dataset = await services.GetRequiredService<DatasetService>().GetAsync(ids.Dataset);
            Assert.Equal(("accounts", 2), (dataset!.Name, dataset.RowCount));
            var rows = await services.GetRequiredService<DatasetService>().RowsAsync(ids.Dataset, new DatasetRowQuery());
            Assert.Equal(["dave", "erin"], rows!.Items.Select(r => r.Key));

            var schedule = await services.GetRequiredService<ScheduleService>().GetAsync(ids.Schedule);
            Assert.Equal(("every ten minutes", "0 */10 * * * ?", false), (schedule!.Name, schedule.Cron, schedule.Enabled));

            var user = Assert.Single(await services.GetRequiredService<UserDirectory>().ListAsync());
            Assert.Equal(("admin@old.local", "admin"), (user.Email, user.Role));
        }

        // Nothing is left to apply, and the schema is the one a new database gets.
        SqliteConnection.ClearAllPools();
        await using (var store = StoreContext($"Data Source={path}"))
        {
            Assert.Empty(await store.Database.GetPendingMigrationsAsync());
            Assert.Equal(store.Database.GetMigrations(), await store.Database.GetAppliedMigrationsAsync());
        }
        await using (var auth = AuthContext($"Data Source={path}"))
            Assert.Empty(await auth.Database.GetPendingMigrationsAsync());

        var fresh = Path.Combine(_folder, "fresh.db");
        await using (var store = StoreContext($"Data Source={fresh}")) await store.Database.MigrateAsync();
        await using (var auth = AuthContext($"Data Source={fresh}")) await auth.Database.MigrateAsync();
        SqliteConnection.ClearAllPools();
        var upgraded = await SqliteSchema.DescribeAsync(path);
        Assert.Contains(upgraded, line => line.StartsWith("index batch_items ix_batch_items_batch_status_index"));
        Assert.Contains(upgraded, line => line.StartsWith("column auth_api_keys hash"));
        Assert.Equal(await SqliteSchema.DescribeAsync(fresh), upgraded);
    }

    [Fact]
    public async Task A_new_database_gets_the_schema_of_the_model()
    {
        var migrated = Path.Combine(_folder, "migrated.db");
        var created = Path.Combine(_folder, "created.db");
        Directory.CreateDirectory(_folder);
        await using (var db = StoreContext($"Data Source={migrated}")) await db.Database.MigrateAsync();
        await using (var db = StoreContext($"Data Source={created}")) await db.Database.EnsureCreatedAsync();
        SqliteConnection.ClearAllPools();
        // The search index is the migration's own SQL (FTS5 tables and their triggers), which the model cannot hold.
        Assert.Equal(await SqliteSchema.DescribeAsync(created), await SqliteSchema.DescribeAsync(migrated, withoutHandWritten: true));
        Assert.Equal(SqliteSchema.SearchObjects, await SqliteSchema.SearchObjectsAsync(migrated));

        var authMigrated = Path.Combine(_folder, "auth-migrated.db");
        var authCreated = Path.Combine(_folder, "auth-created.db");
        await using (var db = AuthContext($"Data Source={authMigrated}")) await db.Database.MigrateAsync();
        await using (var db = AuthContext($"Data Source={authCreated}")) await db.Database.EnsureCreatedAsync();
        SqliteConnection.ClearAllPools();
        Assert.Equal(await SqliteSchema.DescribeAsync(authCreated), await SqliteSchema.DescribeAsync(authMigrated, withoutHandWritten: true));
        Assert.Equal(SqliteSchema.AuthChangeObjects, await SqliteSchema.SearchObjectsAsync(authMigrated));
    }

    private sealed record OldIds(Guid Batch, Guid Dataset, Guid Schedule);

    /// <summary>Applies only the hand-written migrations, as the app did before, and fills the database.</summary>
    private static async Task<OldIds> CreateOldDatabaseAsync(string connectionString)
    {
        var ids = new OldIds(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await using (var store = StoreContext(connectionString))
        {
            await store.GetService<IMigrator>().MigrateAsync(LastHandWrittenStore);
            Assert.Equal(["20261122000000_Initial", "20261122010000_Datasets", LastHandWrittenStore],
                await store.Database.GetAppliedMigrationsAsync());
            // Baseline first, then every migration dotnet ef made after it (Nodes: the nodes table and item leases).
            var pending = (await store.Database.GetPendingMigrationsAsync()).ToList();
            Assert.EndsWith("_Baseline", pending[0]);
            Assert.Contains(pending, m => m.EndsWith("_Nodes", StringComparison.Ordinal));

            // The batch as the old app wrote it: a plain INSERT (today's entity reads back columns the old table lacks: progress).
            var options = System.Text.Json.JsonSerializer.Serialize(BatchOptions.Defaults, Core.Json.JsonDefaults.Storage);
            var at = SqlValues.SqliteTime(At);
            await store.Database.ExecuteSqlInterpolatedAsync($$"""
                INSERT INTO batches (id, name, handler, status, priority, created_at, started_at, total, pending, running, succeeded,
                                     failed, skipped, cancelled, items_per_second, options, args, created_by)
                VALUES ({{SqlValues.SqliteId(ids.Batch)}}, 'nightly accounts', 'demo', 'paused', 0, {{at}}, {{at}}, 3, 3, 0, 0, 0, 0, 0, 0,
                        {{options}}, '{}', 'admin@old.local')
                """);
            store.LogLines.Add(new LogLine(ids.Batch, At, "info", null, "Paused by admin@old.local"));
            var dataset = new Dataset(ids.Dataset, "accounts", At, "admin@old.local");
            dataset.Appended(2, At);
            store.Datasets.Add(dataset);
            store.DatasetRows.AddRange(new DatasetRow(ids.Dataset, 0, "dave", null, null), new DatasetRow(ids.Dataset, 1, "erin", "e", null));
            store.Schedules.Add(new Schedule(ids.Schedule, "every ten minutes", At, "admin@old.local")
            {
                Cron = "0 */10 * * * ?",
                TemplateJson = "{\"handler\":\"demo\",\"items\":[\"a\"]}",
            });
            store.ScheduleRuns.Add(new ScheduleRun(ids.Schedule, At, At, RunOutcome.Skipped, "Missed 1 run(s) while the server was down.", null, false));
            await store.SaveChangesAsync();
            // Items as the old app wrote them: plain INSERTs into the old table (today's entity has columns it lacked: the leases, attempts before a retry).
            var batchId = ids.Batch.ToString().ToUpperInvariant();
            await store.Database.ExecuteSqlInterpolatedAsync($$"""
                INSERT INTO batch_items (batch_id, item_index, item_key, group_name, payload, status, attempts, progress)
                VALUES ({{batchId}}, 0, 'alice', NULL, NULL, 'pending', 0, 0), ({{batchId}}, 1, 'bob', 'b', NULL, 'pending', 0, 0),
                       ({{batchId}}, 2, 'carol', NULL, '{"n":3}', 'pending', 0, 0)
                """);
        }

        await using (var auth = AuthContext(connectionString))
        {
            await auth.GetService<IMigrator>().MigrateAsync(LastHandWrittenAuth);
            Assert.Equal([LastHandWrittenAuth], await auth.Database.GetAppliedMigrationsAsync());
            var pending = (await auth.Database.GetPendingMigrationsAsync()).ToList();
            Assert.EndsWith("_AuthBaseline", pending[0]);
            Assert.Contains(pending, m => m.EndsWith("_AuthChanges", StringComparison.Ordinal));
            var role = new IdentityRole("admin") { NormalizedName = "ADMIN" };
            var user = new AppUser
            {
                UserName = "admin@old.local", NormalizedUserName = "ADMIN@OLD.LOCAL", Email = "admin@old.local",
                NormalizedEmail = "ADMIN@OLD.LOCAL", EmailConfirmed = true, CreatedAt = At, SecurityStamp = Guid.NewGuid().ToString(),
            };
            auth.Roles.Add(role);
            auth.Users.Add(user);
            auth.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = role.Id });
            await auth.SaveChangesAsync();
        }
        SqliteConnection.ClearAllPools();
        return ids;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
