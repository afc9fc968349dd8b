using System.Data.Common;
using System.Text;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// Inserts many rows with multi-row INSERT statements inside the caller's transaction: 100,000 rows are a few
/// thousand prepared statements, not 100,000 round trips through the change tracker.
/// </summary>
/// <param name="table">The table.</param>
/// <param name="shared">Columns with one value for every row (bound once per statement): name → value.</param>
/// <param name="constants">Columns with a SQL literal for every row: name → literal.</param>
/// <param name="columns">Columns with a value per row, in the order <paramref name="columns"/> gives them.</param>
internal sealed class MultiRowInsert(string table, IReadOnlyList<(string Column, object Value)> shared,
    IReadOnlyList<(string Column, string Literal)> constants, IReadOnlyList<string> columns)
{
    private const int RowsPerStatement = 20;

    public async Task InsertAsync<T>(DbConnection connection, DbTransaction transaction, IReadOnlyList<T> rows,
        Func<T, int, object?[]> values, CancellationToken ct)
    {
        DbCommand? full = null;
        try
        {
            for (var start = 0; start < rows.Count; start += RowsPerStatement)
            {
                var count = Math.Min(RowsPerStatement, rows.Count - start);
                var command = count == RowsPerStatement ? full ??= Create(connection, count) : Create(connection, count);
                command.Transaction = transaction;
                for (var s = 0; s < shared.Count; s++) command.Parameters[s].Value = shared[s].Value;
                for (var row = 0; row < count; row++)
                {
                    var rowValues = values(rows[start + row], start + row);
                    var p = shared.Count + row * columns.Count;
                    for (var c = 0; c < columns.Count; c++) command.Parameters[p + c].Value = rowValues[c] ?? DBNull.Value;
                }
                await command.ExecuteNonQueryAsync(ct);
                if (!ReferenceEquals(command, full)) await command.DisposeAsync();
            }
        }
        finally
        {
            if (full is not null) await full.DisposeAsync();
        }
    }

    private DbCommand Create(DbConnection connection, int rows)
    {
        var command = connection.CreateCommand();
        var names = shared.Select(s => s.Column).Concat(constants.Select(c => c.Column)).Concat(columns);
        var sql = new StringBuilder($"INSERT INTO {table} ({string.Join(", ", names)}) VALUES ");
        for (var s = 0; s < shared.Count; s++) Add(command, $"@s{s}");
        var fixedPart = string.Concat(
            string.Concat(Enumerable.Range(0, shared.Count).Select(s => $"@s{s},")),
            string.Concat(constants.Select(c => c.Literal + ",")));
        for (var row = 0; row < rows; row++)
        {
            if (row > 0) sql.Append(',');
            sql.Append('(').Append(fixedPart);
            for (var c = 0; c < columns.Count; c++)
            {
                if (c > 0) sql.Append(',');
                sql.Append($"@r{row}c{c}");
                Add(command, $"@r{row}c{c}");
            }
            sql.Append(')');
        }
        command.CommandText = sql.ToString();
        return command;
    }

    private static void Add(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
    }
}
