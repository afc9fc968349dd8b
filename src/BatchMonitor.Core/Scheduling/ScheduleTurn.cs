using BatchMonitor.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace BatchMonitor.Core.Scheduling;

/// <summary>
/// A schedule's turn to fire, held until its fire is recorded. On PostgreSQL, where several nodes may fire the same
/// schedule, a transaction holding a lock named for the schedule: a node that waited for it then reads the schedule
/// as the first node left it (its next fire moved on), so an occurrence fires once. On SQLite one node owns the
/// database and the firer's own gate is the turn: no transaction is opened (a reading transaction could not write
/// after the batch was created on another connection).
/// </summary>
internal sealed class ScheduleTurn : IAsyncDisposable
{
    private readonly IDbContextTransaction? _transaction;

    private ScheduleTurn(IDbContextTransaction? transaction) => _transaction = transaction;

    public static async Task<ScheduleTurn> TakeAsync(BatchMonitorDbContext db, Guid scheduleId, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql()) return new ScheduleTurn(null);
        var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.LockNameAsync($"schedule:{scheduleId:N}", ct);
        return new ScheduleTurn(transaction);
    }

    /// <summary>Commits what was recorded (on PostgreSQL); call before announcing it.</summary>
    public Task CommitAsync(CancellationToken ct) => _transaction?.CommitAsync(ct) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _transaction?.DisposeAsync() ?? ValueTask.CompletedTask;
}
