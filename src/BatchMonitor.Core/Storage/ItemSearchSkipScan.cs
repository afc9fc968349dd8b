using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// The batches that hold an item matching an FTS5 phrase (SQLite), without reading every matching item of a big
/// batch. The matches are read in id order; once <see cref="Run"/> of them in a row belong to one batch, the read
/// starts again past that batch's last item. A word every item of a big batch shares (its key prefix, a field of its
/// result) then costs a few index seeks per batch instead of a phrase check per item: 10 batches of 5,000 matching
/// items took ~50 ms of CPU, and a word in many small batches is read in one pass as before.
/// <para>
/// The jump relies on how items are written: only when their batch is created, in one transaction, in index order, so
/// SQLite gives them consecutive ids (the first item by index has the lowest id, the last the highest, and no other
/// batch's item lies between). Each batch is checked before its items are skipped: its last item's id less its first
/// one's must be its item count less one. A batch that does not pass (part-way through being deleted, say) is read to
/// the end, which is slower but finds the same batches.
/// </para>
/// </summary>
internal static class ItemSearchSkipScan
{
    /// <summary>Matches in a row from one batch before its range is looked up, and ids it must have left to be skipped.</summary>
    public const int Run = 128;

    /// <summary>Adds to <paramref name="found"/> every batch with an item in <paramref name="table"/> matching <paramref name="phrase"/>.</summary>
    public static async Task AddMatchingBatchesAsync(BatchMonitorDbContext db, string table, string phrase, HashSet<Guid> found,
        CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            await using var commands = new PreparedCommands(db.Database.GetDbConnection());
            var matches = commands.Get("matches", $"""
                SELECT m.rowid, i.batch_id
                  FROM (SELECT rowid FROM {table} WHERE {table} MATCH @phrase AND rowid > @after ORDER BY rowid) m
                  JOIN batch_items i ON i.id = m.rowid
                """, transaction, "phrase", "after");
            var range = commands.Get("range", """
                SELECT b.total,
                       (SELECT f.id FROM batch_items f WHERE f.batch_id = b.id ORDER BY f.item_index LIMIT 1),
                       (SELECT l.id FROM batch_items l WHERE l.batch_id = b.id ORDER BY l.item_index DESC LIMIT 1)
                  FROM batches b WHERE b.id = @batch
                """, transaction, "batch");

            long? after = 0;
            while (after is { } from)
            {
                after = null;
                PreparedCommands.Set(matches, phrase, from);
                await using var reader = await matches.ExecuteReaderAsync(ct);
                string? batch = null;
                var run = 0;
                while (await reader.ReadAsync(ct))
                {
                    var (rowid, id) = (reader.GetInt64(0), reader.GetString(1));
                    if (id != batch)
                    {
                        (batch, run) = (id, 1);
                        found.Add(Guid.Parse(id));
                        continue;
                    }
                    if (++run != Run) continue;
                    PreparedCommands.Set(range, id);
                    if (await LastIdToSkipToAsync(range, rowid, ct) is { } last)
                    {
                        after = last;
                        break;
                    }
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The batch's last item id when its items are side by side and more than <see cref="Run"/> of them lie past <paramref name="rowid"/>.</summary>
    private static async Task<long?> LastIdToSkipToAsync(DbCommand range, long rowid, CancellationToken ct)
    {
        await using var reader = await range.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct) || reader.IsDBNull(1) || reader.IsDBNull(2)) return null;
        var (total, first, last) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        var sideBySide = last - first == total - 1 && first <= rowid && rowid <= last;
        return sideBySide && last - rowid > Run ? last : null;
    }
}
