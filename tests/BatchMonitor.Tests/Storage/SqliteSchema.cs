using Microsoft.Data.Sqlite;

namespace BatchMonitor.Tests.Storage;

/// <summary>A SQLite file's schema as sorted lines (columns, indexes, foreign keys, autoincrement), migration history left out.</summary>
public static class SqliteSchema
{
    /// <summary>What the SearchIndex and LogSearch migrations add by hand: three FTS5 tables and the triggers that keep them in step.</summary>
    public static readonly IReadOnlyList<string> SearchObjects =
    [
        "table item_keys_search", "table item_outcomes_search", "table log_lines_search",
        "trigger batch_items_search_delete", "trigger batch_items_search_insert", "trigger batch_items_search_key",
        "trigger batch_items_search_outcome", "trigger log_lines_search_delete", "trigger log_lines_search_insert",
    ];

    /// <summary>What the AuthChanges migration adds by hand: the counter of changes to what keys may do, and its triggers.</summary>
    public static readonly IReadOnlyList<string> AuthChangeObjects =
    [
        "trigger auth_api_keys_changed", "trigger auth_api_keys_deleted", "trigger auth_roles_changed", "trigger auth_roles_deleted",
        "trigger auth_user_roles_added", "trigger auth_user_roles_changed", "trigger auth_user_roles_removed",
        "trigger auth_users_changed", "trigger auth_users_deleted",
    ];

    /// <param name="withoutHandWritten">Leaves out the tables migrations make with SQL of their own, which the model cannot
    /// hold: the search index's FTS5 tables (and their shadow tables) and the auth_changes counter.</param>
    public static async Task<List<string>> DescribeAsync(string path, bool withoutHandWritten = false)
    {
        var lines = new List<string>();
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        await connection.OpenAsync();
        var tables = await ListAsync(connection,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EF%' AND name <> 'auth_migrations' ORDER BY name");
        foreach (var table in tables)
        {
            if (withoutHandWritten && (table.Contains("_search", StringComparison.Ordinal) || table == "auth_changes")) continue;
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

    /// <summary>The virtual tables and triggers, by name (the search index's, the auth_changes counter's).</summary>
    public static async Task<List<string>> SearchObjectsAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        await connection.OpenAsync();
        return await ListAsync(connection, """
            SELECT type || ' ' || name FROM sqlite_master
             WHERE (type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%') OR type = 'trigger' ORDER BY type, name
            """);
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
}
