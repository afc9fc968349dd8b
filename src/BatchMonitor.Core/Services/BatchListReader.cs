using System.Linq.Expressions;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Storage.Configurations;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Services;

/// <summary>
/// The batch list's reads: filter, order and page (offset or keyset), and the per-status counts of the tabs. A search
/// runs once per call (its matching ids are read first); every order ends in created_at then id in the order's
/// direction, which the batches' indexes hold, so no page sorts the table.
/// </summary>
internal static class BatchListReader
{
    /// <summary>The orders keyset paging (<see cref="BatchListQuery.After"/>) works with: their values are never null.</summary>
    public static readonly IReadOnlyList<string> KeysetOrders = ["createdAt", "progress", "name", "priority"];

    public static async Task<Page<BatchView>> ListAsync(BatchMonitorDbContext db, BatchListQuery query, CancellationToken ct)
    {
        var filtered = await FilterAsync(db, query.Handler, query.Text, query.Failures, ct, query.CreatedAfter);
        return await PageAsync(filtered, db, query, ct);
    }

    /// <summary>The list and its tabs' counts, over one search.</summary>
    public static async Task<(Page<BatchView> Page, StatusCounts Counts)> ListWithCountsAsync(BatchMonitorDbContext db,
        BatchListQuery query, CancellationToken ct)
    {
        var matching = await FilterAsync(db, query.Handler, query.Text, null, ct, query.CreatedAfter);
        var page = await PageAsync(query.Failures is { } f ? WithFailures(matching, f) : matching, db, query, ct);
        return (page, await CountsAsync(matching, ct));
    }

    public static async Task<StatusCounts> CountsAsync(BatchMonitorDbContext db, string? handler, string? text, CancellationToken ct) =>
        await CountsAsync(await FilterAsync(db, handler, text, null, ct), ct);

    /// <summary>The batches a filter matches; a search is read once here, and what follows filters by its ids.</summary>
    public static async Task<IQueryable<Batch>> FilterAsync(BatchMonitorDbContext db, string? handler, string? text, bool? failures,
        CancellationToken ct, DateTime? createdAfter = null)
    {
        var batches = db.Batches.AsNoTracking();
        if (handler is not null) batches = batches.Where(b => b.Handler == handler);
        if (createdAfter is { } since) batches = batches.Where(b => b.CreatedAt >= since);
        if (failures is { } f) batches = WithFailures(batches, f);
        if (text is not null)
        {
            var ids = await TextSearch.MatchingBatchIdsAsync(db, text, ct);
            // One parameter holding the list (json_each on SQLite, = ANY on PostgreSQL), not one per id: a search that
            // matches every batch would otherwise send ten thousand parameters, or more than PostgreSQL takes.
            batches = batches.Where(b => EF.Parameter(ids).Contains(b.Id));
        }
        return batches;
    }

    private static IQueryable<Batch> WithFailures(IQueryable<Batch> batches, bool failures) =>
        failures ? batches.Where(b => b.Failed > 0) : batches.Where(b => b.Failed == 0);

    private static async Task<Page<BatchView>> PageAsync(IQueryable<Batch> filtered, BatchMonitorDbContext db, BatchListQuery query,
        CancellationToken ct)
    {
        if (query.Statuses.Count > 0) filtered = filtered.Where(b => query.Statuses.Contains(b.Status));
        var total = await filtered.CountAsync(ct);
        var ordered = Order(filtered, query);
        List<Batch> rows;
        if (query.After is { } after)
        {
            var seek = await AfterAsync(db, query, after, ct);
            rows = seek is null ? [] : await Order(filtered.Where(seek), query).Take(query.Limit).ToListAsync(ct);
        }
        else
        {
            rows = await ordered.Skip(query.Offset).Take(query.Limit).ToListAsync(ct);
        }
        return new Page<BatchView>(rows.ConvertAll(BatchView.From), total, query.Limit, query.After is null ? query.Offset : 0);
    }

    private static async Task<StatusCounts> CountsAsync(IQueryable<Batch> matching, CancellationToken ct)
    {
        var rows = await matching.GroupBy(b => b.Status)
            .Select(g => new { Status = g.Key, Count = g.Count(), WithFailures = g.Count(b => b.Failed > 0) }).ToListAsync(ct);
        return new StatusCounts(
            Enum.GetValues<BatchStatus>().ToDictionary(s => s, s => rows.FirstOrDefault(r => r.Status == s)?.Count ?? 0),
            rows.FirstOrDefault(r => r.Status == BatchStatus.Completed)?.WithFailures ?? 0,
            rows.Sum(r => r.WithFailures));
    }

    private static IOrderedQueryable<Batch> Order(IQueryable<Batch> batches, BatchListQuery q)
    {
        var d = q.Descending;
        IOrderedQueryable<Batch> ordered = q.OrderBy switch
        {
            "startedAt" => By(batches, b => b.StartedAt, d),
            "finishedAt" => By(batches, b => b.FinishedAt, d),
            "status" => By(batches, b => b.Status, d),
            "progress" => By(batches, b => EF.Property<double>(b, BatchConfiguration.ProgressOrder), d),
            "name" => By(batches, b => b.Name, d),
            "priority" => By(batches, b => b.Priority, d),
            _ => By(batches, b => b.CreatedAt, d),
        };
        if (q.OrderBy != "createdAt") ordered = d ? ordered.ThenByDescending(b => b.CreatedAt) : ordered.ThenBy(b => b.CreatedAt);
        return d ? ordered.ThenByDescending(b => b.Id) : ordered.ThenBy(b => b.Id);
    }

    private static IOrderedQueryable<Batch> By<T>(IQueryable<Batch> batches, Expression<Func<Batch, T>> key, bool descending) =>
        descending ? batches.OrderByDescending(key) : batches.OrderBy(key);

    /// <summary>
    /// The rows after <paramref name="after"/> in the query's order: (key, created_at, id) beyond the anchor's, compared
    /// as one tuple. Null when the anchor batch no longer exists.
    /// </summary>
    private static async Task<Expression<Func<Batch, bool>>?> AfterAsync(BatchMonitorDbContext db, BatchListQuery q, Guid after,
        CancellationToken ct)
    {
        var anchor = await db.Batches.AsNoTracking().Where(b => b.Id == after)
            .Select(b => new { b.CreatedAt, b.Id, b.Name, b.Priority, Progress = EF.Property<double>(b, BatchConfiguration.ProgressOrder) })
            .SingleOrDefaultAsync(ct);
        if (anchor is null) return null;
        var b = Expression.Parameter(typeof(Batch), "b");
        var columns = new List<(Expression Column, object Value)>();
        switch (q.OrderBy)
        {
            case "progress":
                columns.Add((Expression.Call(typeof(EF), nameof(EF.Property), [typeof(double)], b, Expression.Constant(BatchConfiguration.ProgressOrder)),
                    anchor.Progress));
                break;
            case "name":
                columns.Add((Expression.Property(b, nameof(Batch.Name)), anchor.Name));
                break;
            case "priority":
                columns.Add((Expression.Property(b, nameof(Batch.Priority)), anchor.Priority));
                break;
        }
        columns.Add((Expression.Property(b, nameof(Batch.CreatedAt)), anchor.CreatedAt));
        columns.Add((Expression.Property(b, nameof(Batch.Id)), anchor.Id));
        return Expression.Lambda<Func<Batch, bool>>(Beyond(columns, 0, q.Descending), b);
    }

    /// <summary>column[i..] beyond the values: c_i past v_i, or c_i equal and the rest beyond.</summary>
    private static Expression Beyond(List<(Expression Column, object Value)> columns, int i, bool descending)
    {
        var (column, value) = columns[i];
        var parameter = Parameter(value, column.Type);
        var past = Compare(column, parameter, descending ? ExpressionType.LessThan : ExpressionType.GreaterThan);
        if (i == columns.Count - 1) return past;
        var equal = Compare(column, parameter, ExpressionType.Equal);
        return Expression.OrElse(past, Expression.AndAlso(equal, Beyond(columns, i + 1, descending)));
    }

    /// <summary>Strings and GUIDs compare through CompareTo (EF turns <c>a.CompareTo(b) &lt; 0</c> into <c>a &lt; b</c>).</summary>
    private static Expression Compare(Expression column, Expression value, ExpressionType op)
    {
        if (op == ExpressionType.Equal) return Expression.Equal(column, value);
        if (column.Type == typeof(string) || column.Type == typeof(Guid))
        {
            var compare = column.Type == typeof(string)
                ? Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, column, value)
                : Expression.Call(column, typeof(Guid).GetMethod(nameof(Guid.CompareTo), [typeof(Guid)])!, value);
            return Expression.MakeBinary(op, compare, Expression.Constant(0));
        }
        return Expression.MakeBinary(op, column, value);
    }

    /// <summary>A value EF sends as a parameter (a captured variable), not as a constant in the SQL text.</summary>
    private static Expression Parameter(object value, Type type)
    {
        var box = Activator.CreateInstance(typeof(Box<>).MakeGenericType(type), value)!;
        return Expression.Property(Expression.Constant(box), "Value");
    }

    private sealed class Box<T>(T value)
    {
        public T Value { get; } = value;
    }
}

/// <summary>
/// How many batches of a filter are in each status (the list's tabs), how many completed ones have failed items, and
/// how many batches of any status do.
/// </summary>
public sealed record StatusCounts(Dictionary<BatchStatus, int> ByStatus, int CompletedWithFailures, int WithFailures);
