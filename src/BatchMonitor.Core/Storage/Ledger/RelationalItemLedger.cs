using System.Data.Common;
using System.Globalization;
using BatchMonitor.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using static BatchMonitor.Core.Storage.PreparedCommands;

namespace BatchMonitor.Core.Storage.Ledger;

/// <summary>
/// The ledger's SQL, the same on every provider but for what a provider says otherwise (<see cref="SqliteItemLedger"/>,
/// <see cref="PostgresItemLedger"/>): how ids and times are bound, how a claim picks its items, and whether a
/// transaction locks a batch's row before it moves the batch's items. Statements are prepared once per ledger and
/// run on the context's open connection, in whatever transaction the context has at the time.
/// </summary>
internal abstract partial class RelationalItemLedger(BatchMonitorDbContext db) : IItemLedger
{
    private static readonly string Pending = ItemStatus.Pending.Name();
    private static readonly string Running = ItemStatus.Running.Name();
    private static readonly string Failed = ItemStatus.Failed.Name();
    private static readonly string Succeeded = ItemStatus.Succeeded.Name();

    private readonly PreparedCommands _commands = new(db.Database.GetDbConnection());
    private readonly Dictionary<Guid, BatchDelta> _deltas = [];
    private readonly HashSet<Guid> _locked = [];

    /// <summary>
    /// <c>UPDATE batch_items ... RETURNING id, item_index, item_key, group_name, payload, attempts, attempts_before_retry</c>: pending items of
    /// <c>@batch</c> due at <c>@now</c> become <c>@running</c>, oldest index first, at most <c>@max</c>, leased to node
    /// <c>@node</c> until <c>@lease</c>.
    /// </summary>
    protected abstract string ClaimSql { get; }

    /// <summary>
    /// A statement that locks the row of batch <c>@id</c> until the transaction ends, or null where the database lets one
    /// writer in at a time (SQLite). Every move locks its batch before its items, as a batch transition does (it updates
    /// the batch, then its items), so two transactions never wait on each other's rows in a circle.
    /// </summary>
    protected virtual string? LockBatchSql => null;

    /// <summary>
    /// Whether other nodes may work the database's batches too. Where they cannot (SQLite: one node), a claim's running
    /// limit is this node's own business (its runner keeps its slots) and claiming ahead of free slots stays allowed.
    /// </summary>
    protected virtual bool SharedByNodes => true;

    protected abstract object Id(Guid id);

    protected abstract object Time(DateTime? time);

    public async Task<ClaimResult> ClaimAsync(Guid batchId, int max, int? runningLimit, Lease lease, DateTime now, CancellationToken ct,
        bool paced = false)
    {
        // A claim must see the counters of every move before it (the rollups wait for the transaction's last save).
        await SaveMovesAsync(ct);
        // Read under the batch's row lock (PostgreSQL): no other node's claim of this batch runs until this one commits,
        // so the running counter it reads is the batch's running items across every node.
        var (status, pending, running) = await ReadStatusAsync(batchId, ct);
        if (status != BatchStatus.Running || max <= 0 || pending == 0)
            return new ClaimResult(status, [], pending, null);
        if (SharedByNodes && paced)
        {
            // One node keeps the pace of a paced batch: the others leave it alone while that node is up and holds it.
            if (!await HoldPaceAsync(batchId, lease, now, ct)) return new ClaimResult(status, [], pending, null, AtLimit: true);
            if (runningLimit is { } whole) max = Math.Min(max, whole - running);
            if (max <= 0) return new ClaimResult(status, [], pending, null, AtLimit: true);
        }
        else if (SharedByNodes && runningLimit is { } limit)
        {
            // Several nodes up: each holds at most its even share of the limit they all share, and none claims ahead, so
            // a node that came first does not keep every slot refilled before the others look. (A node alone claims
            // ahead of its free slots; it runs no more than the limit at once itself.)
            // Another node running items of the batch (whatever the heartbeats say) also means: no claiming ahead.
            var (up, mine) = await ShareAsync(batchId, lease, now, ct);
            if (up > 1) max = Math.Min(max, Math.Min(limit - running, (limit + up - 1) / up - mine));
            else if (mine < running) max = Math.Min(max, limit - running);
            if (max <= 0) return new ClaimResult(status, [], pending, null, AtLimit: true);
        }

        var claim = Command("claim", ClaimSql, "running", "now", "node", "lease", "batch", "pending", "max");
        Set(claim, Running, Time(now), lease.Node, Time(lease.ExpiresAt), Id(batchId), Pending, max);
        var items = new List<BatchItem>();
        await using (var reader = await claim.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                items.Add(BatchItem.Claimed(reader.GetInt64(0), batchId, reader.GetInt32(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetInt32(5), now, reader.GetInt32(6)));
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
            Set(nextCommand, Id(batchId), Pending);
            var value = await nextCommand.ExecuteScalarAsync(ct);
            next = value is null or DBNull ? now : DateTime.SpecifyKind(Convert.ToDateTime(value, CultureInfo.InvariantCulture), DateTimeKind.Utc);
        }
        return new ClaimResult(status, items, left, next);
    }

    /// <summary>Nodes whose heartbeat is within the lease time, and the running items of the batch this node holds.</summary>
    private async Task<(int Up, int Mine)> ShareAsync(Guid batchId, Lease lease, DateTime now, CancellationToken ct)
    {
        var command = Command("share", """
            SELECT (SELECT COUNT(*) FROM nodes WHERE last_seen_at >= @since),
                   (SELECT COUNT(*) FROM batch_items WHERE batch_id = @batch AND status = @running AND lease_node = @node)
            """, "since", "batch", "running", "node");
        Set(command, Time(now - (lease.ExpiresAt - now)), Id(batchId), Running, lease.Node);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (Convert.ToInt32(reader.GetValue(0)), Convert.ToInt32(reader.GetValue(1)));
    }

    /// <summary>
    /// Takes or renews this node's hold on a paced batch: free, already ours, run out, or held by a node whose heartbeat
    /// stopped (it died, or stopped and removed its row). False while another node that is up holds it, and while this
    /// node's own heartbeat is older than the lease time: the others count it as gone and may hold the batch by now.
    /// </summary>
    private async Task<bool> HoldPaceAsync(Guid batchId, Lease lease, DateTime now, CancellationToken ct)
    {
        var command = Command("hold-pace", """
            UPDATE batches SET paced_by = @node, paced_until = @lease
             WHERE id = @batch
               AND EXISTS (SELECT 1 FROM nodes WHERE nodes.name = @node AND nodes.last_seen_at >= @since)
               AND (paced_by IS NULL OR paced_by = @node OR paced_until IS NULL OR paced_until < @now
                    OR NOT EXISTS (SELECT 1 FROM nodes WHERE nodes.name = batches.paced_by AND nodes.last_seen_at >= @since))
            """, "node", "lease", "batch", "now", "since");
        Set(command, lease.Node, Time(lease.ExpiresAt), Id(batchId), Time(now), Time(now - (lease.ExpiresAt - now)));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<bool> FinishAsync(BatchItem item, string node, CancellationToken ct) =>
        (await LeaveRunningAsync([new LeavingItem(item, Released: false)], node, ct))[0];

    public async Task<bool> ReleaseAsync(BatchItem item, string node, CancellationToken ct) =>
        (await LeaveRunningAsync([new LeavingItem(item, Released: true)], node, ct))[0];

    public async Task<bool[]> LeaveRunningAsync(IReadOnlyList<LeavingItem> items, string node, CancellationToken ct)
    {
        foreach (var (item, released) in items)
        {
            if (released && item.Status != ItemStatus.Pending)
                throw new ArgumentException($"A released item is pending, not {item.Status.Name()}.", nameof(items));
            if (item.Status is not (ItemStatus.Succeeded or ItemStatus.Failed or ItemStatus.Cancelled or ItemStatus.Pending))
                throw new ArgumentException($"An item leaving running cannot be {item.Status.Name()}.", nameof(items));
        }
        var moved = await WriteLeavingAsync(items, node, ct);
        var left = new bool[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var (item, released) = items[i];
            if (!moved.Contains(item.Id)) continue;
            left[i] = true;
            var delta = Delta(item.BatchId);
            delta.Leave(ItemStatus.Running);
            delta.Enter(item.Status);
            if (released) continue;
            // A success that ends the item is its own record of that attempt (the item's row keeps its node): no row.
            if (item.Status != ItemStatus.Succeeded) GatherAttempt(item, node);
            await GatherRollupAsync(item, ct);
            // An attempt that failed (its own timeout, say) just as its batch was cancelled or timed out would wait for a
            // retry that never comes: in a batch that has ended, the items not done are cancelled.
            if (item.Status == ItemStatus.Pending && (await ReadStatusAsync(item.BatchId, ct)).Status is var status && status.IsFinished())
                await CancelPendingItemAsync(item.Id, item.BatchId, $"Not retried: the batch is {status.Name()}.", ct);
        }
        return left;
    }

    public async Task<int> RenewLeasesAsync(Guid batchId, Lease lease, CancellationToken ct)
    {
        // The batch's row first, as every move takes them: a renewal never waits on a writer's item rows in a circle.
        await LockBatchAsync(batchId, ct);
        var command = Command("renew-leases", """
            UPDATE batch_items SET lease_expires_at = @lease
             WHERE batch_id = @batch AND status = @running AND lease_node = @node
            """, "lease", "batch", "running", "node");
        Set(command, Time(lease.ExpiresAt), Id(batchId), Running, lease.Node);
        var renewed = await command.ExecuteNonQueryAsync(ct);
        if (SharedByNodes)
        {
            // A paced batch this node holds stays held while its items run, however long they take.
            var pace = Command("renew-pace", "UPDATE batches SET paced_until = @lease WHERE id = @batch AND paced_by = @node",
                "lease", "batch", "node");
            Set(pace, Time(lease.ExpiresAt), Id(batchId), lease.Node);
            await pace.ExecuteNonQueryAsync(ct);
        }
        return renewed;
    }

    public async Task<bool> WriteProgressAsync(long itemId, double progress, string? step, CancellationToken ct)
    {
        var command = Command("progress",
            "UPDATE batch_items SET progress = @progress, step = @step WHERE id = @id AND status = @running",
            "progress", "step", "id", "running");
        Set(command, progress, SqlValues.Nullable(SqlValues.Truncate(step, 500)), itemId, Running);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<int> SkipGroupAsync(Guid batchId, string group, string reason, DateTime now, CancellationToken ct)
    {
        await LockBatchAsync(batchId, ct);
        Lifecycle.EnsureCanMove(ItemStatus.Pending, ItemStatus.Skipped);
        var command = Command("skip-group", """
            UPDATE batch_items SET status = @skipped, error = @reason, finished_at = @now, next_attempt_at = NULL
             WHERE batch_id = @batch AND status = @pending AND group_name = @group
            """, "skipped", "reason", "now", "batch", "pending", "group");
        Set(command, ItemStatus.Skipped.Name(), reason, Time(now), Id(batchId), Pending, group);
        var skipped = await command.ExecuteNonQueryAsync(ct);
        if (skipped > 0) await MoveCountersAsync(batchId, new BatchDelta { Pending = -skipped, Skipped = skipped }, ct);
        return skipped;
    }

    public async Task<int> CancelPendingAsync(Guid batchId, string reason, DateTime now, CancellationToken ct)
    {
        await LockBatchAsync(batchId, ct);
        Lifecycle.EnsureCanMove(ItemStatus.Pending, ItemStatus.Cancelled);
        var command = Command("cancel-pending", """
            UPDATE batch_items SET status = @cancelled, finished_at = @now, next_attempt_at = NULL, error = @reason
             WHERE batch_id = @batch AND status = @pending
            """, "cancelled", "now", "reason", "batch", "pending");
        Set(command, ItemStatus.Cancelled.Name(), Time(now), reason, Id(batchId), Pending);
        var cancelled = await command.ExecuteNonQueryAsync(ct);
        if (cancelled > 0) await MoveCountersAsync(batchId, new BatchDelta { Pending = -cancelled, Cancelled = cancelled }, ct);
        return cancelled;
    }

    public async Task<int> RetryFailedAsync(Guid batchId, CancellationToken ct)
    {
        await LockBatchAsync(batchId, ct);
        Lifecycle.EnsureCanMove(ItemStatus.Failed, ItemStatus.Pending);
        // The attempts made stay counted (the next one is attempts + 1); the allowance of maxAttempts counts from here.
        var command = Command("retry-failed", """
            UPDATE batch_items
               SET status = @pending, attempts_before_retry = attempts, progress = 0, next_attempt_at = NULL, started_at = NULL,
                   finished_at = NULL, duration_ms = NULL
             WHERE batch_id = @batch AND status = @failed
            """, "pending", "batch", "failed");
        Set(command, Pending, Id(batchId), Failed);
        var retried = await command.ExecuteNonQueryAsync(ct);
        if (retried > 0) await MoveCountersAsync(batchId, new BatchDelta { Failed = -retried, Pending = retried }, ct);
        return retried;
    }

    public async Task<ItemStatus?> RetryItemAsync(Guid batchId, int index, CancellationToken ct)
    {
        await LockBatchAsync(batchId, ct);
        var read = Command("item-status", "SELECT status FROM batch_items WHERE batch_id = @batch AND item_index = @index", "batch", "index");
        Set(read, Id(batchId), index);
        if (await read.ExecuteScalarAsync(ct) is not string name) return null;
        var from = StatusNames.ParseItem(name);
        if (from is not (ItemStatus.Failed or ItemStatus.Cancelled)) return from;
        Lifecycle.EnsureCanMove(from, ItemStatus.Pending);
        var command = Command("retry-item", """
            UPDATE batch_items
               SET status = @pending, attempts_before_retry = attempts, progress = 0, step = NULL, next_attempt_at = NULL,
                   started_at = NULL, finished_at = NULL, duration_ms = NULL
             WHERE batch_id = @batch AND item_index = @index AND status = @from
            """, "pending", "batch", "index", "from");
        Set(command, Pending, Id(batchId), index, from.Name());
        if (await command.ExecuteNonQueryAsync(ct) == 1)
        {
            var delta = new BatchDelta { Pending = 1 };
            delta.Leave(from);
            await MoveCountersAsync(batchId, delta, ct);
        }
        return from;
    }

    public async Task<(int Requeued, int Failed)> RescueAsync(Guid batchId, int maxAttempts, DateTime now, RescueScope scope, CancellationToken ct)
    {
        await LockBatchAsync(batchId, ct);
        Lifecycle.EnsureCanMove(ItemStatus.Running, ItemStatus.Pending);
        Lifecycle.EnsureCanMove(ItemStatus.Running, ItemStatus.Failed);
        var (name, filter, why) = Scope(scope);
        await WriteInterruptedAsync(batchId, name, filter, $"Interrupted: {why} while this item ran.", scope.Node, now, ct);
        var requeue = Command("rescue-requeue" + name, $"""
            UPDATE batch_items SET status = @pending, progress = 0, step = NULL, next_attempt_at = NULL, error = @reason,
                   lease_node = NULL, lease_expires_at = NULL
             WHERE batch_id = @batch AND status = @running AND attempts - attempts_before_retry < @max {filter}
            """, "pending", "reason", "batch", "running", "max", "node", "now");
        Set(requeue, Pending, $"Interrupted: {why} while this item ran; it runs again.", Id(batchId), Running, maxAttempts,
            scope.Node, Time(now));
        var requeued = await requeue.ExecuteNonQueryAsync(ct);

        var fail = Command("rescue-fail" + name, $"""
            UPDATE batch_items SET status = @failed, finished_at = @now, error = @reason, lease_node = NULL, lease_expires_at = NULL
             WHERE batch_id = @batch AND status = @running {filter}
            RETURNING started_at
            """, "failed", "now", "reason", "batch", "running", "node");
        Set(fail, Failed, Time(now), $"Interrupted: {why} while this item ran its last attempt.",
            Id(batchId), Running, scope.Node);
        var durations = new List<long?>();
        await using (var reader = await fail.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                durations.Add(reader.IsDBNull(0) ? null : (long)Math.Max(0, (now - DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc)).TotalMilliseconds));
        }
        var failed = durations.Count;
        if (failed > 0)
        {
            // Items that failed on their last attempt are finished: counted in the rollups like an engine's failure.
            var handler = await HandlerOfAsync(batchId, ct);
            foreach (var duration in durations) Count(handler, now, succeeded: false, duration);
            await WriteRollupsAsync(ct);
        }

        await MoveCountersAsync(batchId, new BatchDelta { Running = -requeued - failed, Pending = requeued, Failed = failed }, ct);
        return (requeued, failed);
    }

    public async Task<int> RescueStoppedAsync(Guid batchId, DateTime now, RescueScope scope, CancellationToken ct)
    {
        await LockBatchAsync(batchId, ct);
        Lifecycle.EnsureCanMove(ItemStatus.Running, ItemStatus.Cancelled);
        var (name, filter, why) = Scope(scope);
        await WriteInterruptedAsync(batchId, name + "-stopped", filter, $"Interrupted: {why} while the batch was stopping.", scope.Node, now, ct);
        var command = Command("rescue-stopped" + name, $"""
            UPDATE batch_items SET status = @cancelled, finished_at = @now, error = @reason, lease_node = NULL, lease_expires_at = NULL
             WHERE batch_id = @batch AND status = @running {filter}
            """, "cancelled", "now", "reason", "batch", "running", "node");
        Set(command, ItemStatus.Cancelled.Name(), Time(now), $"Interrupted: {why} while the batch was stopping.",
            Id(batchId), Running, scope.Node);
        var stopped = await command.ExecuteNonQueryAsync(ct);
        await MoveCountersAsync(batchId, new BatchDelta { Running = -stopped, Cancelled = stopped }, ct);
        return stopped;
    }

    public async Task PublishRowAsync(Guid datasetId, BatchItem item, CancellationToken ct)
    {
        var command = Command("publish-row", """
            UPDATE dataset_rows
               SET last_status = @status, last_result = @result, last_error = @error, last_batch_id = @batch, last_processed_at = @at
             WHERE dataset_id = @dataset AND row_key = @key
            """, "status", "result", "error", "batch", "at", "dataset", "key");
        Set(command, item.Status.Name(), SqlValues.Nullable(item.ResultJson), SqlValues.Nullable(SqlValues.Truncate(item.Error, 4000)),
            Id(item.BatchId), Time(item.FinishedAt), Id(datasetId), item.Key);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task PublishRowsAsync(Guid batchId, Guid datasetId, CancellationToken ct)
    {
        var command = Command("publish-rows", """
            UPDATE dataset_rows
               SET last_status = i.status, last_result = i.result, last_error = i.error,
                   last_batch_id = i.batch_id, last_processed_at = i.finished_at
              FROM batch_items AS i
             WHERE i.batch_id = @batch AND dataset_rows.dataset_id = @dataset AND dataset_rows.row_key = i.item_key
               AND i.status IN (@succeeded, @failed)
            """, "batch", "dataset", "succeeded", "failed");
        Set(command, Id(batchId), Id(datasetId), ItemStatus.Succeeded.Name(), Failed);
        await command.ExecuteNonQueryAsync(ct);
    }

    public void Note(Guid batchId, string? step, double? itemsPerSecond)
    {
        var delta = Delta(batchId);
        if (step is not null) delta.Step = step;
        if (itemsPerSecond is not null) delta.ItemsPerSecond = itemsPerSecond;
    }

    public async Task SaveCountersAsync(CancellationToken ct)
    {
        await SaveMovesAsync(ct);
        await WriteRollupsAsync(ct);
    }

    /// <summary>The gathered attempts and counter moves (what a claim must see), not the rollups.</summary>
    private async Task SaveMovesAsync(CancellationToken ct)
    {
        await WriteAttemptsAsync(ct);
        foreach (var (batchId, delta) in _deltas) await MoveCountersAsync(batchId, delta, ct);
        _deltas.Clear();
        // The caller commits next (or claims, and locks again: a lock its transaction holds is taken at once).
        _locked.Clear();
    }

    public void DiscardCounters()
    {
        _rollups.Clear();
        _attempts.Clear();
        _deltas.Clear();
        _locked.Clear();
    }

    /// <summary>Locks the batch's row once per transaction, where the provider needs it (<see cref="LockBatchSql"/>).</summary>
    private async Task LockBatchAsync(Guid batchId, CancellationToken ct)
    {
        if (LockBatchSql is not { } sql || !_locked.Add(batchId)) return;
        var command = Command("lock-batch", sql, "id");
        Set(command, Id(batchId));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Which running items a rescue takes: at a node's start, those left by a process of the same name, those with no
    /// lease (running before leases existed) and expired leases; while it runs, only expired leases of other nodes
    /// (its own it renews, and another live node's are never touched).
    /// Where the database has one node (<see cref="SharedByNodes"/> false), everything left running at its start is its own,
    /// whatever name the process had before.
    /// </summary>
    private (string Name, string Filter, string Why) Scope(RescueScope scope) => scope.AtStart
        ? SharedByNodes
            ? ("-start", "AND (lease_node IS NULL OR lease_node = @node OR lease_expires_at <= @now)", "the server stopped")
            : ("-start-alone", "", "the server stopped")
        : ("-expired", "AND lease_node <> @node AND lease_expires_at <= @now", "the node running it stopped renewing its lease");

    /// <summary>How this provider's SQL reads rows bound as one parameter.</summary>
    protected abstract RowSource Rows { get; }

    private async Task CancelPendingItemAsync(long itemId, Guid batchId, string reason, CancellationToken ct)
    {
        Lifecycle.EnsureCanMove(ItemStatus.Pending, ItemStatus.Cancelled);
        var command = Command("cancel-pending-item", """
            UPDATE batch_items SET status = @cancelled, next_attempt_at = NULL, error = @reason
             WHERE id = @id AND status = @pending
            """, "cancelled", "reason", "id", "pending");
        Set(command, ItemStatus.Cancelled.Name(), reason, itemId, Pending);
        if (await command.ExecuteNonQueryAsync(ct) != 1) return;
        var delta = Delta(batchId);
        delta.Leave(ItemStatus.Pending);
        delta.Enter(ItemStatus.Cancelled);
    }

    private async Task MoveCountersAsync(Guid batchId, BatchDelta delta, CancellationToken ct)
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
            SqlValues.Nullable(SqlValues.Truncate(delta.Step, 500)), SqlValues.Nullable(delta.ItemsPerSecond), Id(batchId));
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<(BatchStatus Status, int Pending, int Running)> ReadStatusAsync(Guid batchId, CancellationToken ct)
    {
        await LockBatchAsync(batchId, ct);
        var command = Command("status", "SELECT status, pending, running FROM batches WHERE id = @id", "id");
        Set(command, Id(batchId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return (BatchStatus.Cancelled, 0, 0);
        return (StatusNames.ParseBatch(reader.GetString(0)), reader.GetInt32(1), reader.GetInt32(2));
    }

    private BatchDelta Delta(Guid batchId)
    {
        if (!_deltas.TryGetValue(batchId, out var delta)) _deltas[batchId] = delta = new BatchDelta();
        return delta;
    }

    private DbCommand Command(string name, string sql, params string[] parameters) =>
        _commands.Get(name, sql, db.Database.CurrentTransaction?.GetDbTransaction(), parameters);

    public ValueTask DisposeAsync() => _commands.DisposeAsync();
}
