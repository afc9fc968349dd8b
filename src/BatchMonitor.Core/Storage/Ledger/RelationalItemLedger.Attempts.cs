using System.Text;
using BatchMonitor.Core.Attempts;
using BatchMonitor.Core.Domain;
using static BatchMonitor.Core.Storage.PreparedCommands;

namespace BatchMonitor.Core.Storage.Ledger;

/// <summary>
/// The attempts' rows (<c>item_attempts</c>), written where an attempt ends: an item's finish (gathered, and written
/// with the counters, multi-row inserts of <see cref="AttemptsPerStatement"/> finishes each) and a rescue (its own
/// statement). Always in the transaction that moves the item, so the item and its attempt commit together or not at all.
/// </summary>
internal abstract partial class RelationalItemLedger
{
    /// <summary>The most rows one insert carries (on PostgreSQL: one round trip per hundred finishes).</summary>
    private const int MaxAttemptsPerStatement = 100;

    /// <summary>
    /// Rows per insert. SQLite finds each bound parameter by name in a list as long as the statement's, so binding costs
    /// the square of the parameters: there (no round trips to save) fewer rows per statement are cheaper
    /// (<see cref="SqliteItemLedger"/>; measured with the engine bench, docs/benchmarks.md).
    /// </summary>
    protected virtual int AttemptsPerStatement => MaxAttemptsPerStatement;

    private const string AttemptColumns =
        "batch_id, item_index, attempt, node, started_at, finished_at, duration_ms, outcome, error, detail";

    private static readonly (string Sql, string[] Parameters)?[] InsertAttempts = new (string, string[])?[MaxAttemptsPerStatement + 1];

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

    /// <summary>The gathered attempts, <see cref="AttemptsPerStatement"/> rows per statement.</summary>
    private async Task WriteAttemptsAsync(CancellationToken ct)
    {
        for (var start = 0; start < _attempts.Count; start += AttemptsPerStatement)
        {
            var count = Math.Min(AttemptsPerStatement, _attempts.Count - start);
            var (sql, parameters) = InsertAttempts[count] ??= (InsertAttemptsSql(count), AttemptParameters(count));
            var command = Command("attempts-" + count, sql, parameters);
            var values = new object[count * 10];
            for (var r = 0; r < count; r++)
            {
                var a = _attempts[start + r];
                var p = r * 10;
                values[p] = Id(a.BatchId);
                values[p + 1] = a.Index;
                values[p + 2] = a.Attempt;
                values[p + 3] = SqlValues.Nullable(a.Node);
                values[p + 4] = Time(a.StartedAt);
                values[p + 5] = Time(a.FinishedAt);
                values[p + 6] = SqlValues.Nullable(a.DurationMs);
                values[p + 7] = a.Outcome;
                values[p + 8] = SqlValues.Nullable(SqlValues.Truncate(a.Error, ItemAttempt.MaxErrorChars));
                values[p + 9] = SqlValues.Nullable(SqlValues.Truncate(a.Detail, ItemAttempt.MaxDetailChars));
            }
            Set(command, values);
            await command.ExecuteNonQueryAsync(ct);
        }
        _attempts.Clear();
    }

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

    private static string InsertAttemptsSql(int rows)
    {
        var sql = new StringBuilder($"INSERT INTO item_attempts ({AttemptColumns}) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            if (r > 0) sql.Append(',');
            sql.Append('(');
            for (var c = 0; c < 10; c++) sql.Append(c > 0 ? "," : "").Append($"@a{r}_{c}");
            sql.Append(')');
        }
        return sql.ToString();
    }

    private static string[] AttemptParameters(int rows) =>
        [.. Enumerable.Range(0, rows).SelectMany(r => Enumerable.Range(0, 10).Select(c => $"a{r}_{c}"))];
}
