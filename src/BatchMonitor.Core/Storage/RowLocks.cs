using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// A read that decides a write (a batch transition, a dataset append) must see the row as no other transaction can
/// change it until this one ends. SQLite gives that to every transaction (one writer at a time, from its start);
/// PostgreSQL gives it to rows read <c>FOR UPDATE</c>, which <see cref="ForUpdate{T}"/> asks for.
/// </summary>
internal static class RowLocks
{
    public const string Tag = "batchmonitor:for-update";

    /// <summary>The rows read are locked until the transaction ends (PostgreSQL); a no-op where the database serializes writers.</summary>
    public static IQueryable<T> ForUpdate<T>(this IQueryable<T> query) => query.TagWith(Tag);

    /// <summary>
    /// Transactions that decide on the same name where there is no row to lock yet (a batch that would hold an
    /// exclusive key) take their turns: on PostgreSQL a lock on the name until the transaction ends; on SQLite nothing.
    /// </summary>
    public static async Task LockNameAsync(this DatabaseFacade database, string name, CancellationToken ct)
    {
        if (!database.IsNpgsql()) return;
        await database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({name}, 0))", ct);
    }
}

/// <summary>PostgreSQL: appends <c>FOR UPDATE</c> to queries tagged by <see cref="RowLocks.ForUpdate{T}"/>.</summary>
internal sealed class ForUpdateInterceptor : DbCommandInterceptor
{
    private const string Marker = "-- " + RowLocks.Tag;

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result)
    {
        Lock(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Lock(command);
        return ValueTask.FromResult(result);
    }

    private static void Lock(DbCommand command)
    {
        if (command.CommandText.StartsWith(Marker, StringComparison.Ordinal))
            command.CommandText = command.CommandText.TrimEnd().TrimEnd(';') + "\nFOR UPDATE";
    }
}
