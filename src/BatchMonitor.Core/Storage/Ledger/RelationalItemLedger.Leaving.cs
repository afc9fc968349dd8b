using BatchMonitor.Core.Domain;
using static BatchMonitor.Core.Storage.PreparedCommands;

namespace BatchMonitor.Core.Storage.Ledger;

/// <summary>Items leaving running: one statement for all of a transaction's outcomes.</summary>
internal abstract partial class RelationalItemLedger
{
    /// <summary>The columns an outcome writes (after the id), with the type PostgreSQL reads them as.</summary>
    private static readonly (string Column, string Type)[] LeavingColumns =
    [
        ("status", "text"), ("attempts", "integer"), ("progress", "double precision"), ("step", "text"),
        ("next_attempt_at", "timestamptz"), ("started_at", "timestamptz"), ("finished_at", "timestamptz"),
        ("duration_ms", "bigint"), ("result", "text"), ("error", "text"),
    ];

    private readonly Dictionary<int, string> _leaveRunningSql = [];
    private JsonRows? _leavingRows;

    /// <summary>
    /// running → each item's new status, in one statement whatever their number (the rows bound as one parameter,
    /// <see cref="JsonRows"/>); only items still running under <paramref name="node"/>'s lease move. A succeeded item keeps
    /// the node in <c>lease_node</c> (the node of its last attempt, see <see cref="Attempts.ItemAttempt"/>); the others' lease ends. Their batches' rows are
    /// locked first, in the order the items name them. Returns the ids of the items that moved.
    /// A column whose value is the same in every row (all succeeded, no step, no error…) is bound once as a parameter
    /// instead of being read out of each row: on SQLite reading a cell back out of the JSON is most of the statement's cost.
    /// </summary>
    private async Task<HashSet<long>> WriteLeavingAsync(IReadOnlyList<LeavingItem> items, string node, CancellationToken ct)
    {
        var moved = new HashSet<long>();
        if (items.Count == 0) return moved;
        foreach (var (item, _) in items) await LockBatchAsync(item.BatchId, ct);
        var shared = SharedColumns(items);
        _leavingRows ??= new JsonRows(Rows == RowSource.Sqlite);
        foreach (var (item, _) in items)
        {
            _leavingRows.Row().Add(item.Id);
            for (var c = 0; c < LeavingColumns.Length; c++)
                if ((shared & (1 << c)) == 0) AddCell(_leavingRows, item, c);
        }
        var byIds = LeavingIdsFilter is not null;
        List<string> names = ["rows", "running", "node", "succeeded"];
        List<object> values = [_leavingRows.Take(), Running, node, Succeeded];
        if (byIds)
        {
            names.Add("ids");
            values.Add(items.Select(i => i.Item.Id).ToArray());
        }
        for (var c = 0; c < LeavingColumns.Length; c++)
        {
            if ((shared & (1 << c)) == 0) continue;
            names.Add(SharedName(c));
            values.Add(SharedValue(items[0].Item, c));
        }
        if (!_leaveRunningSql.TryGetValue(shared, out var sql)) _leaveRunningSql[shared] = sql = BuildLeaveRunningSql(shared);
        var command = Command($"leave-running-{shared}", sql, [.. names]);
        Set(command, [.. values]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) moved.Add(reader.GetInt64(0));
        return moved;
    }

    /// <summary>
    /// Where the planner cannot tell how many rows the bound JSON holds (PostgreSQL guesses 100 and would scan every running
    /// item of the table to join them), the same ids again as an array (<c>@ids</c>), so the rows are found by primary key.
    /// </summary>
    protected virtual string? LeavingIdsFilter => null;

    /// <summary>The columns (bit i = <see cref="LeavingColumns"/>[i]) whose value is the same for every item.</summary>
    private static int SharedColumns(IReadOnlyList<LeavingItem> items)
    {
        var shared = 0;
        if (Same(items, i => i.Status)) shared |= 1 << 0;
        if (Same(items, i => i.Attempts)) shared |= 1 << 1;
        if (Same(items, i => i.Progress)) shared |= 1 << 2;
        if (Same(items, i => i.Step)) shared |= 1 << 3;
        if (Same(items, i => i.NextAttemptAt)) shared |= 1 << 4;
        if (Same(items, i => i.StartedAt)) shared |= 1 << 5;
        if (Same(items, i => i.FinishedAt)) shared |= 1 << 6;
        if (Same(items, i => i.DurationMs)) shared |= 1 << 7;
        if (Same(items, i => i.ResultJson)) shared |= 1 << 8;
        if (Same(items, i => i.Error)) shared |= 1 << 9;
        return shared;
    }

    private static bool Same<T>(IReadOnlyList<LeavingItem> items, Func<BatchItem, T> value)
    {
        var first = value(items[0].Item);
        for (var i = 1; i < items.Count; i++)
            if (!EqualityComparer<T>.Default.Equals(first, value(items[i].Item))) return false;
        return true;
    }

    private static void AddCell(JsonRows rows, BatchItem item, int column)
    {
        switch (column)
        {
            case 0: rows.Add(item.Status.Name()); break;
            case 1: rows.Add(item.Attempts); break;
            case 2: rows.Add(item.Progress); break;
            case 3: rows.Add(SqlValues.Truncate(item.Step, 500)); break;
            case 4: rows.Add(item.NextAttemptAt); break;
            case 5: rows.Add(item.StartedAt); break;
            case 6: rows.Add(item.FinishedAt); break;
            case 7: rows.Add(item.DurationMs); break;
            case 8: rows.Add(item.ResultJson); break;
            default: rows.Add(SqlValues.Truncate(item.Error, 4000)); break;
        }
    }

    private object SharedValue(BatchItem item, int column) => column switch
    {
        0 => item.Status.Name(),
        1 => item.Attempts,
        2 => item.Progress,
        3 => SqlValues.Nullable(SqlValues.Truncate(item.Step, 500)),
        4 => Time(item.NextAttemptAt),
        5 => Time(item.StartedAt),
        6 => Time(item.FinishedAt),
        7 => SqlValues.Nullable(item.DurationMs),
        8 => SqlValues.Nullable(item.ResultJson),
        _ => SqlValues.Nullable(SqlValues.Truncate(item.Error, 4000)),
    };

    private static string SharedName(int column) => "shared_" + LeavingColumns[column].Column;

    private string BuildLeaveRunningSql(int shared)
    {
        var cell = 1;
        var values = new string[LeavingColumns.Length];
        for (var c = 0; c < LeavingColumns.Length; c++)
        {
            var type = LeavingColumns[c].Type;
            values[c] = (shared & (1 << c)) != 0 ? Rows.Parameter("@" + SharedName(c), type) : Rows.Cell(cell++, type);
        }
        var set = string.Join(", ", LeavingColumns.Select((column, c) => $"{column.Column} = {values[c]}"));
        return $"""
            UPDATE batch_items
               SET {set},
                   lease_node = CASE WHEN {values[0]} = @succeeded THEN batch_items.lease_node END, lease_expires_at = NULL
              FROM {Rows.From("@rows")}
             WHERE batch_items.id = {Rows.Cell(0, "bigint")} AND batch_items.status = @running AND batch_items.lease_node = @node {LeavingIdsFilter}
            RETURNING batch_items.id
            """;
    }
}
