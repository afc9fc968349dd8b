using System.Data.Common;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// Inserts a batch's items in multi-row statements inside the caller's transaction: a batch of 100,000 items
/// is one transaction of 200 statements, not 100,000 round trips through the change tracker.
/// </summary>
internal static class ItemBulkInserter
{
    private const int RowsPerStatement = 20;

    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, Guid batchId,
        IReadOnlyList<NewItem> items, CancellationToken ct)
    {
        DbCommand? full = null;
        try
        {
            for (var start = 0; start < items.Count; start += RowsPerStatement)
            {
                var count = Math.Min(RowsPerStatement, items.Count - start);
                var command = count == RowsPerStatement ? full ??= Create(connection, count) : Create(connection, count);
                command.Transaction = transaction;
                command.Parameters[0].Value = SqlValues.Id(batchId);
                for (var row = 0; row < count; row++)
                {
                    var item = items[start + row];
                    var p = 1 + row * 4;
                    command.Parameters[p].Value = start + row;
                    command.Parameters[p + 1].Value = item.Key;
                    command.Parameters[p + 2].Value = SqlValues.Nullable(item.Group);
                    command.Parameters[p + 3].Value = SqlValues.Nullable(item.PayloadJson);
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

    private static DbCommand Create(DbConnection connection, int rows)
    {
        var command = connection.CreateCommand();
        var sql = new System.Text.StringBuilder(
            "INSERT INTO batch_items (batch_id, item_index, item_key, group_name, payload, status, attempts, progress) VALUES ");
        Add(command, "@b");
        for (var row = 0; row < rows; row++)
        {
            if (row > 0) sql.Append(',');
            sql.Append($"(@b,@i{row},@k{row},@g{row},@p{row},'{ItemStatus.Pending.Name()}',0,0)");
            Add(command, $"@i{row}");
            Add(command, $"@k{row}");
            Add(command, $"@g{row}");
            Add(command, $"@p{row}");
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
