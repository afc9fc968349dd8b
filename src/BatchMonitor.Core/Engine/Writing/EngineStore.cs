using System.Data.Common;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace BatchMonitor.Core.Engine.Writing;

/// <summary>
/// The engine's SQL: claim items, record outcomes and progress, append logs, move counters. One open
/// connection with prepared statements, used by the writer's single loop only. Every item update is
/// conditional on the status it expects, and every counter moves by the rows actually changed.
/// </summary>
internal sealed class EngineStore : IAsyncDisposable
{
    private static readonly string Pending = ItemStatus.Pending.Name();
    private static readonly string Running = ItemStatus.Running.Name();

    private readonly BatchMonitorDbContext _db;
    private readonly DbConnection _connection;
    private readonly Dictionary<string, DbCommand> _commands = [];
    private IDbContextTransaction? _transaction;

    private EngineStore(BatchMonitorDbContext db)
    {
        _db = db;
        _connection = db.Database.GetDbConnection();
    }

    public static async Task<EngineStore> OpenAsync(IDbContextFactory<BatchMonitorDbContext> contexts, CancellationToken ct)
    {
        var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        return new EngineStore(db);
    }

    public async Task BeginAsync(CancellationToken ct) => _transaction = await _db.Database.BeginTransactionAsync(ct);

    public async Task CommitAsync(CancellationToken ct)
    {
        await _transaction!.CommitAsync(ct);
        await EndAsync();
    }

    public async Task RollbackAsync()
    {
        if (_transaction is null) return;
        try
        {
            await _transaction.RollbackAsync(CancellationToken.None);
        }
        finally
        {
            await EndAsync();
        }
    }

    /// <summary>running → pending for the items due now, oldest index first; the batch must be running.</summary>
    public async Task<ClaimResult> ClaimAsync(Guid batchId, int max, DateTime now, CancellationToken ct)
    {
        var (status, pending) = await ReadStatusAsync(batchId, ct);
        if (status != BatchStatus.Running || max <= 0 || pending == 0)
            return new ClaimResult(status, [], pending, null);

        var claim = Command("claim", """
            UPDATE batch_items
               SET status = @running, attempts = attempts + 1, started_at = @now, finished_at = NULL,
                   duration_ms = NULL, progress = 0, step = NULL, next_attempt_at = NULL
             WHERE id IN (SELECT id FROM batch_items
                           WHERE batch_id = @batch AND status = @pending
                             AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
                           ORDER BY item_index LIMIT @max)
               AND status = @pending
            RETURNING id, item_index, item_key, group_name, payload, attempts
            """, "running", "now", "batch", "pending", "max");
        Set(claim, Running, SqlValues.Time(now), SqlValues.Id(batchId), Pending, max);
        var items = new List<BatchItem>();
        await using (var reader = await claim.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                items.Add(BatchItem.Claimed(reader.GetInt64(0), batchId, reader.GetInt32(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetInt32(5), now));
            }
        }
        items.Sort((a, b) => a.Index.CompareTo(b.Index));
        if (items.Count > 0)
            await MoveCountersAsync(batchId, new BatchDelta { Pending = -items.Count, Running = items.Count }, ct);

        var left = pending - items.Count;
        DateTime? next = null;
        if (items.Count < max && left > 0)
        {
            var nextCommand = Command("next-attempt",
                "SELECT MIN(next_attempt_at) FROM batch_items WHERE batch_id = @batch AND status = @pending", "batch", "pending");
            Set(nextCommand, SqlValues.Id(batchId), Pending);
            var value = await nextCommand.ExecuteScalarAsync(ct);
            next = value is null or DBNull ? now : DateTime.SpecifyKind(Convert.ToDateTime(value, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
        }
        return new ClaimResult(status, items, left, next);
    }

    /// <summary>Writes an item that left running (outcome, retry, cancel or release). False if it was no longer running.</summary>
    public async Task<bool> FinishItemAsync(BatchItem item, CancellationToken ct)
    {
        var command = Command("finish-item", """
            UPDATE batch_items
               SET status = @status, attempts = @attempts, progress = @progress, step = @step,
                   next_attempt_at = @next, started_at = @started, finished_at = @finished,
                   duration_ms = @duration, result = @result, error = @error
             WHERE id = @id AND status = @running
            """, "status", "attempts", "progress", "step", "next", "started", "finished", "duration", "result", "error", "id", "running");
        Set(command, item.Status.Name(), item.Attempts, item.Progress, SqlValues.Nullable(item.Step),
            SqlValues.Time(item.NextAttemptAt), SqlValues.Time(item.StartedAt), SqlValues.Time(item.FinishedAt),
            SqlValues.Nullable(item.DurationMs), SqlValues.Nullable(item.ResultJson), SqlValues.Nullable(Truncate(item.Error, 4000)),
            item.Id, Running);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>A dataset row takes the final outcome of the item that processed it.</summary>
    public async Task PublishRowAsync(Guid datasetId, BatchItem item, CancellationToken ct)
    {
        var command = Command("publish-row", """
            UPDATE dataset_rows
               SET last_status = @status, last_result = @result, last_error = @error, last_batch_id = @batch, last_processed_at = @at
             WHERE dataset_id = @dataset AND row_key = @key
            """, "status", "result", "error", "batch", "at", "dataset", "key");
        Set(command, item.Status.Name(), SqlValues.Nullable(item.ResultJson), SqlValues.Nullable(Truncate(item.Error, 4000)),
            SqlValues.Id(item.BatchId), SqlValues.Time(item.FinishedAt), SqlValues.Id(datasetId), item.Key);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<bool> WriteProgressAsync(long itemId, double progress, string? step, CancellationToken ct)
    {
        var command = Command("progress",
            "UPDATE batch_items SET progress = @progress, step = @step WHERE id = @id AND status = @running",
            "progress", "step", "id", "running");
        Set(command, progress, SqlValues.Nullable(Truncate(step, 500)), itemId, Running);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>pending → skipped for the rest of a group; returns how many.</summary>
    public async Task<int> SkipGroupAsync(Guid batchId, string group, string reason, DateTime now, CancellationToken ct)
    {
        var command = Command("skip-group", """
            UPDATE batch_items SET status = @skipped, error = @reason, finished_at = @now, next_attempt_at = NULL
             WHERE batch_id = @batch AND status = @pending AND group_name = @group
            """, "skipped", "reason", "now", "batch", "pending", "group");
        Set(command, ItemStatus.Skipped.Name(), reason, SqlValues.Time(now), SqlValues.Id(batchId), Pending, group);
        var skipped = await command.ExecuteNonQueryAsync(ct);
        if (skipped > 0) await MoveCountersAsync(batchId, new BatchDelta { Pending = -skipped, Skipped = skipped }, ct);
        return skipped;
    }

    public async Task<long> AppendLogAsync(Guid batchId, DateTime at, string level, string? itemKey, string message, CancellationToken ct)
    {
        var command = Command("log", """
            INSERT INTO log_lines (batch_id, at, level, item_key, message) VALUES (@batch, @at, @level, @key, @message)
            RETURNING seq
            """, "batch", "at", "level", "key", "message");
        Set(command, SqlValues.Id(batchId), SqlValues.Time(at), level, SqlValues.Nullable(Truncate(itemKey, 1000)), Truncate(message, 4000)!);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task MoveCountersAsync(Guid batchId, BatchDelta delta, CancellationToken ct)
    {
        if (delta.IsEmpty) return;
        var command = Command("counters", """
            UPDATE batches
               SET pending = pending + @pending, running = running + @running, succeeded = succeeded + @succeeded,
                   failed = failed + @failed, skipped = skipped + @skipped, cancelled = cancelled + @cancelled,
                   current_step = COALESCE(@step, current_step), items_per_second = COALESCE(@rate, items_per_second)
             WHERE id = @id
            """, "pending", "running", "succeeded", "failed", "skipped", "cancelled", "step", "rate", "id");
        Set(command, delta.Pending, delta.Running, delta.Succeeded, delta.Failed, delta.Skipped, delta.Cancelled,
            SqlValues.Nullable(Truncate(delta.Step, 500)), SqlValues.Nullable(delta.ItemsPerSecond), SqlValues.Id(batchId));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task AddThroughputAsync(DateTime minute, string handler, int succeeded, int failed, long durationMs, CancellationToken ct)
    {
        var command = Command("throughput", """
            INSERT INTO throughput_minutes (minute, handler, succeeded, failed, duration_ms_sum)
            VALUES (@minute, @handler, @succeeded, @failed, @duration)
            ON CONFLICT (minute, handler) DO UPDATE
               SET succeeded = throughput_minutes.succeeded + excluded.succeeded,
                   failed = throughput_minutes.failed + excluded.failed,
                   duration_ms_sum = throughput_minutes.duration_ms_sum + excluded.duration_ms_sum
            """, "minute", "handler", "succeeded", "failed", "duration");
        Set(command, SqlValues.Time(minute), handler, succeeded, failed, durationMs);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<List<BatchView>> ReadBatchesAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var batches = await _db.Batches.AsNoTracking().Where(b => ids.Contains(b.Id)).ToListAsync(ct);
        return batches.ConvertAll(BatchView.From);
    }

    private async Task<(BatchStatus Status, int Pending)> ReadStatusAsync(Guid batchId, CancellationToken ct)
    {
        var command = Command("status", "SELECT status, pending FROM batches WHERE id = @id", "id");
        Set(command, SqlValues.Id(batchId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return (BatchStatus.Cancelled, 0);
        return (StatusNames.ParseBatch(reader.GetString(0)), reader.GetInt32(1));
    }

    private DbCommand Command(string name, string sql, params string[] parameters)
    {
        if (!_commands.TryGetValue(name, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var parameter in parameters)
            {
                var p = command.CreateParameter();
                p.ParameterName = "@" + parameter;
                command.Parameters.Add(p);
            }
            _commands[name] = command;
        }
        command.Transaction = _transaction?.GetDbTransaction();
        return command;
    }

    private static void Set(DbCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i];
    }

    private static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..(max - 1)] + "…";

    private async Task EndAsync()
    {
        if (_transaction is not null) await _transaction.DisposeAsync();
        _transaction = null;
        foreach (var command in _commands.Values) command.Transaction = null;
    }

    public async ValueTask DisposeAsync()
    {
        await RollbackAsync();
        foreach (var command in _commands.Values) await command.DisposeAsync();
        await _db.Database.CloseConnectionAsync();
        await _db.DisposeAsync();
    }
}
