using BatchMonitor.Web.Auth.Store;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BatchMonitor.Tests.Web.Auth;

/// <summary>
/// The auth migrations are written by hand (no snapshot), so this keeps them honest: a database built from the
/// migrations and one built from the model must have the same tables, columns, keys, foreign keys and indexes.
/// </summary>
public sealed class AuthSchemaDriftTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bm-auth-drift-").FullName;

    [Fact]
    public async Task The_migrations_build_exactly_the_schema_of_the_model()
    {
        var migrated = Path.Combine(_folder, "migrated.db");
        var created = Path.Combine(_folder, "created.db");
        await using (var db = Context(migrated)) await db.Database.MigrateAsync();
        await using (var db = Context(created)) await db.Database.EnsureCreatedAsync();

        var expected = await DescribeAsync(created);
        var actual = await DescribeAsync(migrated);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task The_migrations_apply_again_without_change_and_leave_nothing_pending()
    {
        var path = Path.Combine(_folder, "twice.db");
        await using (var db = Context(path)) await db.Database.MigrateAsync();
        await using (var db = Context(path))
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }
    }

    private static AuthDbContext Context(string path) => new(new DbContextOptionsBuilder<AuthDbContext>()
        .UseSqlite($"Data Source={path}", s => s.MigrationsHistoryTable(AuthDbContext.MigrationsTable))
        .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
        .Options);

    /// <summary>Every table with its columns (name, type, nullability, key position), foreign keys and indexes, sorted.</summary>
    private static async Task<List<string>> DescribeAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        var lines = new List<string>();
        var tables = await QueryAsync(connection,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('auth_migrations', '__EFMigrationsLock') ORDER BY name",
            r => r.GetString(0));
        foreach (var table in tables)
        {
            lines.Add($"table {table}");
            lines.AddRange(await QueryAsync(connection, $"PRAGMA table_info(\"{table}\")",
                r => $"  column {table}.{r.GetString(1)} {r.GetString(2)} notnull={r.GetInt64(3)} pk={r.GetInt64(5)}"));
            lines.AddRange((await QueryAsync(connection, $"PRAGMA foreign_key_list(\"{table}\")",
                r => $"  fk {table}.{r.GetString(3)} -> {r.GetString(2)}.{r.GetString(4)} on delete {r.GetString(6)}")).Order());
            var indexes = new List<string>();
            foreach (var (index, unique) in await QueryAsync(connection, $"PRAGMA index_list(\"{table}\")", r => (r.GetString(1), r.GetInt64(2))))
            {
                if (index.StartsWith("sqlite_autoindex", StringComparison.Ordinal)) continue;
                var columns = await QueryAsync(connection, $"PRAGMA index_info(\"{index}\")", r => r.GetString(2));
                indexes.Add($"  index {index} on {table}({string.Join(",", columns)}) unique={unique}");
            }
            lines.AddRange(indexes.Order());
        }
        return lines;
    }

    private static async Task<List<T>> QueryAsync<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
