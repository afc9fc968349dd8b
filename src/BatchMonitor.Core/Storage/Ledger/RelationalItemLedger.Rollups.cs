using System.Text;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Rollups;
using static BatchMonitor.Core.Storage.PreparedCommands;

namespace BatchMonitor.Core.Storage.Ledger;

/// <summary>
/// The per-minute rollups (<c>throughput_minutes</c>, <see cref="ThroughputMinute"/>): every item that reaches succeeded or
/// failed through the ledger (an engine finish; a rescue's last attempt) is counted in its handler's minute, with its
/// duration and its duration bucket, in the transaction that moves the item. Finishes are gathered and written by
/// <see cref="SaveCountersAsync"/> as one upsert per handler and minute, whatever the number of items, so the charts
/// count exactly what the items table holds and survive a crash with it.
/// </summary>
internal abstract partial class RelationalItemLedger
{
    /// <summary>A batch's handler never changes: read once per ledger (the engine's lives as long as its writer).</summary>
    private readonly Dictionary<Guid, string> _handlers = [];

    private readonly Dictionary<(DateTime Minute, string Handler), MinuteCounts> _rollups = [];

    private sealed class MinuteCounts
    {
        public int Succeeded;
        public int Failed;
        public long DurationMs;
        public readonly int[] Buckets = new int[DurationBuckets.Count];
    }

    private static readonly string UpsertRollupSql = BuildUpsertSql();

    private static readonly string[] UpsertRollupParameters =
        ["minute", "handler", "succeeded", "failed", "duration", .. Enumerable.Range(0, DurationBuckets.Count).Select(b => $"b{b}")];

    /// <summary>An item that left running for succeeded or failed adds to its handler's minute; other outcomes are not counted.</summary>
    private async Task GatherRollupAsync(BatchItem item, CancellationToken ct)
    {
        if (item.Status is not (ItemStatus.Succeeded or ItemStatus.Failed) || item.FinishedAt is not { } at) return;
        Count(await HandlerOfAsync(item.BatchId, ct), at, item.Status == ItemStatus.Succeeded, item.DurationMs);
    }

    private void Count(string handler, DateTime at, bool succeeded, long? durationMs)
    {
        var key = (Minutes.Floor(at), handler);
        if (!_rollups.TryGetValue(key, out var counts)) _rollups[key] = counts = new MinuteCounts();
        if (succeeded) counts.Succeeded++;
        else counts.Failed++;
        counts.DurationMs += Math.Max(0, durationMs ?? 0);
        counts.Buckets[DurationBuckets.Of(durationMs)]++;
    }

    private async Task<string> HandlerOfAsync(Guid batchId, CancellationToken ct)
    {
        if (_handlers.TryGetValue(batchId, out var handler)) return handler;
        var command = Command("batch-handler", "SELECT handler FROM batches WHERE id = @id", "id");
        Set(command, Id(batchId));
        handler = await command.ExecuteScalarAsync(ct) as string ?? "";
        // Bounded: a long-lived engine forgets the batches it ran before rather than keeping every one.
        if (_handlers.Count >= 10_000) _handlers.Clear();
        _handlers[batchId] = handler;
        return handler;
    }

    /// <summary>The gathered minutes: one upsert each, adding to what the minute already holds.</summary>
    private async Task WriteRollupsAsync(CancellationToken ct)
    {
        if (_rollups.Count == 0) return;
        var command = Command("rollup", UpsertRollupSql, UpsertRollupParameters);
        var values = new object[UpsertRollupParameters.Length];
        foreach (var ((minute, handler), counts) in _rollups)
        {
            values[0] = Time(minute);
            values[1] = handler;
            values[2] = counts.Succeeded;
            values[3] = counts.Failed;
            values[4] = counts.DurationMs;
            for (var b = 0; b < DurationBuckets.Count; b++) values[5 + b] = counts.Buckets[b];
            Set(command, values);
            await command.ExecuteNonQueryAsync(ct);
        }
        _rollups.Clear();
    }

    private static string BuildUpsertSql()
    {
        var buckets = Enumerable.Range(0, DurationBuckets.Count).Select(b => $"bucket{b:00}").ToList();
        var sql = new StringBuilder("INSERT INTO throughput_minutes (minute, handler, succeeded, failed, duration_ms_sum, ");
        sql.Append(string.Join(", ", buckets)).Append(") VALUES (@minute, @handler, @succeeded, @failed, @duration, ");
        sql.Append(string.Join(", ", Enumerable.Range(0, DurationBuckets.Count).Select(b => $"@b{b}"))).Append(')');
        sql.Append("""
             ON CONFLICT (minute, handler) DO UPDATE
               SET succeeded = throughput_minutes.succeeded + excluded.succeeded,
                   failed = throughput_minutes.failed + excluded.failed,
                   duration_ms_sum = throughput_minutes.duration_ms_sum + excluded.duration_ms_sum
            """);
        foreach (var column in buckets) sql.Append($",\n       {column} = throughput_minutes.{column} + excluded.{column}");
        return sql.ToString();
    }
}
