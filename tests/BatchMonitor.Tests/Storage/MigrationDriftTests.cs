using BatchMonitor.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BatchMonitor.Tests.Storage;

/// <summary>
/// Migrations are written by hand, so nothing else notices when they drift from the model: this builds one
/// database from the migrations and one from the model, and compares their tables, columns and indexes.
/// </summary>
public sealed class MigrationDriftTests
{
    [Fact]
    public async Task The_migrations_build_exactly_the_schema_of_the_model()
    {
        var migrated = await SchemaAsync(db => db.Database.MigrateAsync());
        var modelled = await SchemaAsync(db => db.Database.EnsureCreatedAsync());

        Assert.Equal(modelled, migrated);
        Assert.Contains(migrated, line => line.StartsWith("index batch_items ix_batch_items_batch_status_index"));
    }

    [Fact]
    public async Task The_database_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bm-pragma-{Guid.NewGuid():N}.db");
        try
        {
            await using var db = Create(path);
            await db.Database.MigrateAsync();
            await db.Database.OpenConnectionAsync();
            Assert.Equal("wal", await ScalarAsync(db, "PRAGMA journal_mode"));
            Assert.Equal("1", await ScalarAsync(db, "PRAGMA foreign_keys"));
            Assert.Equal("5000", await ScalarAsync(db, "PRAGMA busy_timeout"));
        }
        finally
        {
            Delete(path);
        }
    }

    private static async Task<List<string>> SchemaAsync(Func<BatchMonitorDbContext, Task> build)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bm-drift-{Guid.NewGuid():N}.db");
        try
        {
            await using (var db = Create(path)) await build(db);
            var lines = new List<string>();
            await using var connection = new SqliteConnection($"Data Source={path}");
            await connection.OpenAsync();
            var tables = await ListAsync(connection,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EF%' ORDER BY name");
            foreach (var table in tables)
            {
                foreach (var column in await ListAsync(connection,
                             $"SELECT name || ' ' || type || ' ' || \"notnull\" || ' ' || pk || ' ' || COALESCE(dflt_value, '') FROM pragma_table_info('{table}') ORDER BY name"))
                    lines.Add($"column {table} {column}");
                foreach (var index in await ListAsync(connection,
                             $"SELECT name || ' unique=' || \"unique\" FROM pragma_index_list('{table}') WHERE origin <> 'pk' ORDER BY name"))
                {
                    var name = index.Split(' ')[0];
                    var columns = string.Join(",", await ListAsync(connection, $"SELECT name FROM pragma_index_info('{name}') ORDER BY seqno"));
                    lines.Add($"index {table} {index} ({columns})");
                }
                foreach (var key in await ListAsync(connection,
                             $"SELECT \"from\" || '->' || \"table\" || '.' || \"to\" || ' ' || on_delete FROM pragma_foreign_key_list('{table}') ORDER BY \"from\""))
                    lines.Add($"fk {table} {key}");
                lines.Add($"autoincrement {table} " + (await ListAsync(connection,
                    $"SELECT sql LIKE '%AUTOINCREMENT%' FROM sqlite_master WHERE name = '{table}'")).Single());
            }
            return lines;
        }
        finally
        {
            Delete(path);
        }
    }

    private static BatchMonitorDbContext Create(string path)
    {
        var options = new DbContextOptionsBuilder<BatchMonitorDbContext>();
        StorageServiceCollectionExtensions.ConfigureSqlite(options, $"Data Source={path}");
        return new BatchMonitorDbContext(options.Options);
    }

    private static async Task<List<string>> ListAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(Convert.ToString(reader.GetValue(0))!);
        return values;
    }

    private static async Task<string?> ScalarAsync(BatchMonitorDbContext db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync());
    }

    private static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
    }
}
