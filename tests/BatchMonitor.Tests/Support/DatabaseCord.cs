using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BatchMonitor.Tests.Support;

/// <summary>
/// One node's tie to the database, which a test can cut: from then on the node opens no connection and begins no
/// transaction, as a process killed at that moment would not. What it committed before stays; what it was in the middle
/// of never lands. (A test that stops only a node's heartbeat leaves its engine claiming.)
/// </summary>
public sealed class DatabaseCord : DbConnectionInterceptor, IDbTransactionInterceptor
{
    private volatile bool _cut;

    public bool IsCut => _cut;

    public void Cut() => _cut = true;

    /// <summary>Ties the node again (only to let a test dispose what is left of it).</summary>
    public void Mend() => _cut = false;

    public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        ThrowIfCut();
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        ThrowIfCut();
        return result;
    }

    public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        ThrowIfCut();
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result)
    {
        ThrowIfCut();
        return result;
    }

    private void ThrowIfCut()
    {
        if (_cut) throw new InvalidOperationException("This node is dead: its tie to the database was cut.");
    }
}
