using BatchMonitor.Core.Attempts;
using BatchMonitor.Core.Domain;
using static BatchMonitor.Core.Storage.PreparedCommands;

namespace BatchMonitor.Core.Storage.Ledger;

/// <summary>
/// The attempts' rows (<c>item_attempts</c>), written where an attempt ends: an item's finish (gathered, and written
/// with the counters, one insert for all of them) and a rescue (its own
/// statement). Always in the transaction that moves the item, so the item and its attempt commit together or not at all.
/// </summary>
internal abstract partial class RelationalItemLedger
{
    private const string AttemptColumns =
        "batch_id, item_index, attempt, node, started_at, finished_at, duration_ms, outcome, error, detail";

    private readonly List<AttemptRow> _attempts = [];

    private readonly record struct AttemptRow(Guid BatchId, int Index, int Attempt, string? Node, DateTime? StartedAt,
        DateTime FinishedAt, long? DurationMs, string Outcome, string? Error, string? Detail);

    /// <summary>The attempt an item's finish ended, gathered until <see cref="SaveCountersAsync"/>.</summary>
    private void GatherAttempt(BatchItem item, string node) =>
        _attempts.Add(new AttemptRow(item.BatchId, item.Index, item.Attempts, node, item.StartedAt,
            item.AttemptEndedAt ?? item.FinishedAt ?? item.StartedAt ?? DateTime.UnixEpoch, item.DurationMs,
            item.Status switch
            {
                ItemStatus.Succeeded => AttemptOutcomes.Succeeded,
                ItemStatus.Cancelled => AttemptOutcomes.Cancelled,
                _ => AttemptOutcomes.Failed,
            },
            item.Status == ItemStatus.Succeeded ? null : item.Error, item.AttemptDetail));

    /// <summary>The gathered attempts, in one statement (the rows bound as one parameter, <see cref="JsonRows"/>).</summary>
    private async Task WriteAttemptsAsync(CancellationToken ct)
    {
        if (_attempts.Count == 0) return;
        _attemptRows ??= new JsonRows(Rows == RowSource.Sqlite);
        foreach (var a in _attempts)
        {
            _attemptRows.Row().Add(a.BatchId).Add(a.Index).Add(a.Attempt).Add(a.Node).Add(a.StartedAt).Add(a.FinishedAt)
                .Add(a.DurationMs).Add(a.Outcome).Add(SqlValues.Truncate(a.Error, ItemAttempt.MaxErrorChars))
                .Add(SqlValues.Truncate(a.Detail, ItemAttempt.MaxDetailChars));
        }
        var command = Command("attempts", _insertAttemptsSql ??= InsertAttemptsSql(Rows), "rows");
        Set(command, _attemptRows.Take());
        await command.ExecuteNonQueryAsync(ct);
        _attempts.Clear();
    }

    private JsonRows? _attemptRows;

    private string? _insertAttemptsSql;

    /// <summary>
    /// The attempts a rescue ends: one row per running item it takes back (<paramref name="filter"/> is the rescue's scope),
    /// read and written before the items move, under the same lock.
    /// </summary>
    private async Task WriteInterruptedAsync(Guid batchId, string name, string filter, string reason, string node, DateTime now,
        CancellationToken ct)
    {
        var select = Command("interrupted" + name, $"""
            SELECT item_index, attempts, lease_node, started_at FROM batch_items
             WHERE batch_id = @batch AND status = @running {filter}
            """, "batch", "running", "node", "now");
        Set(select, Id(batchId), ItemStatus.Running.Name(), node, Time(now));
        await using (var reader = await select.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                DateTime? started = reader.IsDBNull(3) ? null : DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc);
                _attempts.Add(new AttemptRow(batchId, reader.GetInt32(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    started, now, started is { } s ? (long)Math.Max(0, (now - s).TotalMilliseconds) : null,
                    AttemptOutcomes.Interrupted, reason, null));
            }
        }
        await WriteAttemptsAsync(ct);
    }

    private static string InsertAttemptsSql(RowSource rows) => $"""
        INSERT INTO item_attempts ({AttemptColumns})
        SELECT {rows.Cell(0, "uuid")}, {rows.Cell(1, "integer")}, {rows.Cell(2, "integer")}, {rows.Cell(3, "text")},
               {rows.Cell(4, "timestamptz")}, {rows.Cell(5, "timestamptz")}, {rows.Cell(6, "bigint")}, {rows.Cell(7, "text")},
               {rows.Cell(8, "text")}, {rows.Cell(9, "text")}
          FROM {rows.From("@rows")}
        """;
}
