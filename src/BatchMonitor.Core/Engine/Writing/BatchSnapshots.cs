using System.Data.Common;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Engine.Writing;

/// <summary>
/// The batches the writer announces after a transaction, read in that transaction. The first read of a batch loads its
/// row through EF Core; later ones read only what the engine moves (counters, step, rate) and what tells whether anything
/// else changed (status, priority, start, end, deadline, error), and load the whole row again only when that differs.
/// So a running batch costs one small prepared query per transaction instead of a query through EF Core and the parse
/// of its args.
/// </summary>
internal sealed class BatchSnapshots(BatchMonitorDbContext db, Func<string, string, string[], DbCommand> command)
{
    /// <summary>More than this many batches known at once: the oldest are forgotten (they are loaded again if they move).</summary>
    private const int MaxKept = 256;

    private readonly Dictionary<Guid, (Stamp Stamp, BatchView View)> _known = [];

    public async Task<List<BatchView>> ReadAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var views = new List<BatchView>(ids.Count);
        var connection = db.Database.GetDbConnection();
        foreach (var id in ids)
        {
            var read = command("batch-counters", """
                SELECT status, priority, started_at, finished_at, deadline_at, error,
                       pending, running, succeeded, failed, skipped, cancelled, current_step, items_per_second
                  FROM batches WHERE id = @id
                """, ["id"]);
            read.Parameters[0].Value = SqlValues.Id(connection, id);
            Stamp stamp;
            int pending, running, succeeded, failed, skipped, cancelled;
            string? step;
            double rate;
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct))
                {
                    _known.Remove(id);
                    continue;
                }
                stamp = new Stamp(reader.GetString(0), reader.GetInt32(1), reader.GetValue(2), reader.GetValue(3), reader.GetValue(4), reader.GetValue(5));
                (pending, running, succeeded, failed, skipped, cancelled) =
                    (reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10), reader.GetInt32(11));
                step = reader.IsDBNull(12) ? null : reader.GetString(12);
                rate = reader.GetDouble(13);
            }

            if (_known.TryGetValue(id, out var known) && known.Stamp == stamp)
            {
                var view = known.View.WithCounters(pending, running, succeeded, failed, skipped, cancelled, step, rate);
                _known[id] = (stamp, view);
                views.Add(view);
                continue;
            }
            var batch = await db.Batches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, ct);
            if (batch is null) continue;
            var loaded = BatchView.From(batch);
            if (_known.Count >= MaxKept) _known.Clear();
            _known[id] = (stamp, loaded);
            views.Add(loaded);
        }
        return views;
    }

    /// <summary>A finished batch moves no more (until someone acts on it, and then its stamp differs anyway).</summary>
    public void Forget(Guid id) => _known.Remove(id);

    /// <summary>What changes only outside the engine's counters; compared as the provider returns the values.</summary>
    private readonly record struct Stamp(string Status, int Priority, object StartedAt, object FinishedAt, object DeadlineAt, object Error);
}
