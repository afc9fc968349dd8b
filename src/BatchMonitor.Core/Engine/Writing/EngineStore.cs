using System.Data.Common;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Storage.Ledger;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using static BatchMonitor.Core.Storage.PreparedCommands;

namespace BatchMonitor.Core.Engine.Writing;

/// <summary>
/// The engine's connection: its transactions, the item ledger that moves items and counters in them, and the
/// engine's own rows (log lines). One open connection with prepared statements, used by the
/// writer's single loop only. A commit first saves the counter moves the ledger gathered.
/// </summary>
internal sealed class EngineStore : IAsyncDisposable
{
    private readonly BatchMonitorDbContext _db;
    private readonly PreparedCommands _commands;
    private readonly BatchSnapshots _batches;
    private IDbContextTransaction? _transaction;

    private EngineStore(BatchMonitorDbContext db)
    {
        _db = db;
        _commands = new PreparedCommands(db.Database.GetDbConnection());
        Ledger = ItemLedger.For(db);
        _batches = new BatchSnapshots(db, Command);
    }

    public IItemLedger Ledger { get; }

    public static async Task<EngineStore> OpenAsync(IDbContextFactory<BatchMonitorDbContext> contexts, CancellationToken ct)
    {
        var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        return new EngineStore(db);
    }

    public async Task BeginAsync(CancellationToken ct) => _transaction = await _db.Database.BeginTransactionAsync(ct);

    public async Task CommitAsync(CancellationToken ct)
    {
        await Ledger.SaveCountersAsync(ct);
        await _transaction!.CommitAsync(ct);
        await EndAsync();
    }

    public async Task RollbackAsync()
    {
        Ledger.DiscardCounters();
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

    public async Task<long> AppendLogAsync(Guid batchId, DateTime at, string level, string? itemKey, string message, CancellationToken ct)
    {
        var command = Command("log", """
            INSERT INTO log_lines (batch_id, at, level, item_key, message) VALUES (@batch, @at, @level, @key, @message)
            RETURNING seq
            """, "batch", "at", "level", "key", "message");
        var connection = _db.Database.GetDbConnection();
        Set(command, SqlValues.Id(connection, batchId), SqlValues.Time(connection, at), level, SqlValues.Nullable(SqlValues.Truncate(itemKey, 1000)), SqlValues.Truncate(message, 4000)!);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The batches as they are in this transaction (see <see cref="BatchSnapshots"/>).</summary>
    public Task<List<BatchView>> ReadBatchesAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) => _batches.ReadAsync(ids, ct);

    /// <summary>A batch that finished: no more reads of it are expected.</summary>
    public void Forget(Guid batchId) => _batches.Forget(batchId);

    private DbCommand Command(string name, string sql, params string[] parameters) =>
        _commands.Get(name, sql, _transaction?.GetDbTransaction(), parameters);

    private async Task EndAsync()
    {
        if (_transaction is not null) await _transaction.DisposeAsync();
        _transaction = null;
        _commands.Unenlist();
    }

    public async ValueTask DisposeAsync()
    {
        await RollbackAsync();
        await Ledger.DisposeAsync();
        await _commands.DisposeAsync();
        await _db.Database.CloseConnectionAsync();
        await _db.DisposeAsync();
    }
}
