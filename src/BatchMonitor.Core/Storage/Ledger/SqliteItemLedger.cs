namespace BatchMonitor.Core.Storage.Ledger;

/// <summary>
/// The ledger on SQLite: one writer at a time (the database's own lock), so a claim needs no row locks; ids are
/// uppercase text, times UTC without a kind, as EF Core stores them there.
/// </summary>
internal sealed class SqliteItemLedger(BatchMonitorDbContext db) : RelationalItemLedger(db)
{
    protected override string ClaimSql => """
        UPDATE batch_items
           SET status = @running, attempts = attempts + 1, started_at = @now, finished_at = NULL,
               duration_ms = NULL, progress = 0, step = NULL, next_attempt_at = NULL,
               lease_node = @node, lease_expires_at = @lease
         WHERE id IN (SELECT id FROM batch_items
                       WHERE batch_id = @batch AND status = @pending
                         AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
                       ORDER BY item_index LIMIT @max)
           AND status = @pending
        RETURNING id, item_index, item_key, group_name, payload, attempts, attempts_before_retry
        """;

    protected override bool SharedByNodes => false;

    protected override RowSource Rows => RowSource.Sqlite;

    protected override object Id(Guid id) => SqlValues.SqliteId(id);

    protected override object Time(DateTime? time) => SqlValues.SqliteTime(time);
}
