namespace BatchMonitor.Core.Storage.Ledger;

/// <summary>
/// The ledger on PostgreSQL, where writers run side by side (other transactions of this node, and other nodes):
/// a claim takes its items with <c>FOR UPDATE SKIP LOCKED</c>, so two claimers never take the same item and never
/// wait for each other's rows, and every move locks its batch's row before it touches the batch's items (the order a
/// batch transition takes them in). Ids are <c>uuid</c>, times <c>timestamp with time zone</c>.
/// </summary>
internal sealed class PostgresItemLedger(BatchMonitorDbContext db) : RelationalItemLedger(db)
{
    protected override string ClaimSql => """
        WITH due AS (
            SELECT id FROM batch_items
             WHERE batch_id = @batch AND status = @pending
               AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
             ORDER BY item_index
             LIMIT @max
               FOR UPDATE SKIP LOCKED)
        UPDATE batch_items AS i
           SET status = @running, attempts = i.attempts + 1, started_at = @now, finished_at = NULL,
               duration_ms = NULL, progress = 0, step = NULL, next_attempt_at = NULL,
               lease_node = @node, lease_expires_at = @lease
          FROM due
         WHERE i.id = due.id AND i.status = @pending
        RETURNING i.id, i.item_index, i.item_key, i.group_name, i.payload, i.attempts, i.attempts_before_retry
        """;

    protected override string LeavingIdsFilter => "AND batch_items.id = ANY(@ids)";

    protected override string LockBatchSql => "SELECT 1 FROM batches WHERE id = @id FOR UPDATE";

    protected override RowSource Rows => RowSource.Postgres;

    protected override object Id(Guid id) => id;

    protected override object Time(DateTime? time) => SqlValues.UtcTime(time);
}
