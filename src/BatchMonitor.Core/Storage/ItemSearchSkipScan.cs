using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// The batches that hold an item matching an FTS5 phrase (SQLite), without reading every matching item of a big
/// batch. The matches are read in id order, and the read starts again past a batch's last item
/// <list type="bullet">
/// <item>once <see cref="Run"/> matches in a row belong to it, or</item>
/// <item>at its first match when it is already found (by its name, or by the other index) and has more than
/// <see cref="Run"/> items;</item>
/// </list>
/// and past the found batches whose items follow it directly, so the batches a search has already found cost no
/// index seek of their own. Each new start is a seek in every segment of the index (0.3–0.9 ms on a busy database),
/// against ~2 µs for reading one more match: 10 batches of 5,000 matching items took ~50 ms of CPU read through, and
/// ~14 ms with a start per batch and index.
/// <para>
/// The jump relies on how items are written: only when their batch is created, in one transaction, in index order, so
/// SQLite gives them consecutive ids (the first item by index has the lowest id, the last the highest, and no other
/// batch's item lies between). Each batch is checked before its items are skipped: its last item's id less its first
/// one's must be its item count less one. A batch that does not pass (part-way through being deleted, say) is read to
/// the end, which is slower but finds the same batches.
/// </para>
/// </summary>
internal sealed class ItemSearchSkipScan
{
    /// <summary>Matches in a row from one batch before its range is looked up, and ids a jump must pass over to be worth a seek.</summary>
    public const int Run = 128;

    private readonly HashSet<string> _found = [];
    private readonly Dictionary<string, long> _bigFound = [];
    private readonly Dictionary<string, (long First, long Last)?> _ranges = [];

    /// <summary>Starts from the batches found already (their id as SQLite stores it, and their item count).</summary>
    public ItemSearchSkipScan(IEnumerable<(string Id, long Total)> found)
    {
        foreach (var (id, total) in found)
        {
            _found.Add(id);
            if (total > Run) _bigFound[id] = total;
        }
    }

    /// <summary>Every batch found so far.</summary>
    public IEnumerable<Guid> Found => _found.Select(Guid.Parse);

    /// <summary>Adds every batch with an item in <paramref name="table"/> matching <paramref name="phrase"/>.</summary>
    public async Task AddMatchingBatchesAsync(BatchMonitorDbContext db, string table, string phrase, CancellationToken ct)
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
            var ranges = new Ranges(commands, transaction, this);

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
                        if (_found.Add(id) || !_bigFound.ContainsKey(id)) continue;
                    }
                    else if (++run != Run) continue;
                    if (await ranges.SkipToAsync(id, rowid, ct) is { } next)
                    {
                        after = next == long.MaxValue ? null : next;
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

    /// <summary>The batches' id ranges, looked up once per search.</summary>
    private sealed class Ranges(PreparedCommands commands, DbTransaction? transaction, ItemSearchSkipScan scan)
    {
        private readonly DbCommand _range = commands.Get("range", """
            SELECT b.total,
                   (SELECT f.id FROM batch_items f WHERE f.batch_id = b.id ORDER BY f.item_index LIMIT 1),
                   (SELECT l.id FROM batch_items l WHERE l.batch_id = b.id ORDER BY l.item_index DESC LIMIT 1)
              FROM batches b WHERE b.id = @batch
            """, transaction, "batch");

        private readonly DbCommand _next = commands.Get("next", """
            SELECT id, batch_id FROM batch_items WHERE id > @after ORDER BY id LIMIT 1
            """, transaction, "after");

        /// <summary>
        /// The id to read on from, past <paramref name="batch"/> and the found batches right after it, when its items are
        /// side by side and more than <see cref="Run"/> ids lie between <paramref name="rowid"/> and there; else null.
        /// Past the last item of all it is <see cref="long.MaxValue"/>.
        /// </summary>
        public async Task<long?> SkipToAsync(string batch, long rowid, CancellationToken ct)
        {
            if (await RangeAsync(batch, ct) is not { } range || rowid < range.First || rowid > range.Last) return null;
            var end = range.Last;
            while (true)
            {
                PreparedCommands.Set(_next, end);
                long nextId;
                string nextBatch;
                await using (var reader = await _next.ExecuteReaderAsync(ct))
                {
                    if (!await reader.ReadAsync(ct)) return long.MaxValue;
                    (nextId, nextBatch) = (reader.GetInt64(0), reader.GetString(1));
                }
                if (!scan._found.Contains(nextBatch) || await RangeAsync(nextBatch, ct) is not { } following || following.First != nextId) break;
                end = following.Last;
            }
            return end - rowid > Run ? end : null;
        }

        private async Task<(long First, long Last)?> RangeAsync(string batch, CancellationToken ct)
        {
            if (scan._ranges.TryGetValue(batch, out var known)) return known;
            PreparedCommands.Set(_range, batch);
            (long First, long Last)? range = null;
            await using (var reader = await _range.ExecuteReaderAsync(ct))
            {
                if (await reader.ReadAsync(ct) && !reader.IsDBNull(1) && !reader.IsDBNull(2))
                {
                    var (total, first, last) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
                    if (last - first == total - 1) range = (first, last);
                    if (total > Run) scan._bigFound.TryAdd(batch, total);
                }
            }
            return scan._ranges[batch] = range;
        }
    }
}
