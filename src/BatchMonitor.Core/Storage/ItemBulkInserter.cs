using System.Data.Common;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;

namespace BatchMonitor.Core.Storage;

/// <summary>Inserts a new batch's items, pending, in the caller's transaction.</summary>
internal static class ItemBulkInserter
{
    public static Task InsertAsync(DbConnection connection, DbTransaction transaction, Guid batchId,
        IReadOnlyList<NewItem> items, CancellationToken ct) =>
        new MultiRowInsert("batch_items",
                [("batch_id", SqlValues.Id(connection, batchId))],
                [("status", $"'{ItemStatus.Pending.Name()}'"), ("attempts", "0"), ("progress", "0")],
                ["item_index", "item_key", "group_name", "payload"])
            .InsertAsync(connection, transaction, items, (item, index) => [index, item.Key, item.Group, item.PayloadJson], ct);
}

/// <summary>Appends rows to a dataset, numbering their positions from <paramref name="firstPosition"/>.</summary>
internal static class DatasetRowInserter
{
    public static Task InsertAsync(DbConnection connection, DbTransaction transaction, Guid datasetId, int firstPosition,
        IReadOnlyList<NewItem> rows, CancellationToken ct) =>
        new MultiRowInsert("dataset_rows",
                [("dataset_id", SqlValues.Id(connection, datasetId))],
                [],
                ["position", "row_key", "group_name", "payload"])
            .InsertAsync(connection, transaction, rows, (row, index) => [firstPosition + index, row.Key, row.Group, row.PayloadJson], ct);
}
