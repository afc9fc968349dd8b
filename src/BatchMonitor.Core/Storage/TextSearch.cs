using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// Search text matches the same rows on either provider, as a substring that ignores case.
/// <list type="bullet">
/// <item>Small lists (a batch's items, a dataset's rows) filter with <see cref="WhereMatches{T}"/>: SQLite's <c>LIKE</c>
/// ignores case (ASCII), PostgreSQL's does not, so there every <c>EF.Functions.Like</c> becomes <c>ILIKE</c>.</item>
/// <item>Batch search (<see cref="MatchingBatchIdsAsync"/>) covers each batch's name, error and exclusive key and every
/// item's key, error and result, from an index: on SQLite the FTS5 trigram tables the SearchIndex migration keeps in
/// step by triggers (a phrase query: substrings of three characters or more; case folded over Unicode), on PostgreSQL
/// pg_trgm GIN indexes under <c>ILIKE</c>. Text shorter than three characters has no trigram to look up: it is a scan
/// of the items (LIKE), correct but not fast at a million items.</item>
/// </list>
/// </summary>
internal static class TextSearch
{
    private static readonly MethodInfo Like = typeof(DbFunctionsExtensions).GetMethod(nameof(DbFunctionsExtensions.Like),
        [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;

    private static readonly MethodInfo ILike = typeof(NpgsqlDbFunctionsExtensions).GetMethod(nameof(NpgsqlDbFunctionsExtensions.ILike),
        [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;

    /// <summary>Filters by <paramref name="predicate"/>, written with <c>EF.Functions.Like</c>, ignoring case on every provider.</summary>
    public static IQueryable<T> WhereMatches<T>(this IQueryable<T> query, DbContext db, Expression<Func<T, bool>> predicate) =>
        query.Where(db.Database.IsNpgsql() ? (Expression<Func<T, bool>>)new ToILike().Visit(predicate) : predicate);

    /// <summary>The <c>LIKE</c> pattern for text anywhere in a value (<c>\</c> escapes the wildcards).</summary>
    public static string Contains(string text) =>
        "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    /// <summary>
    /// Ids of the batches whose name, error or exclusive key, or any of whose items' key, error or result, holds
    /// <paramref name="text"/>, read once, so a list can count and page over the result without searching twice. On SQLite
    /// the items' indexes are read a batch at a time (<see cref="ItemSearchSkipScan"/>).
    /// </summary>
    public static async Task<List<Guid>> MatchingBatchIdsAsync(BatchMonitorDbContext db, string text, CancellationToken ct)
    {
        var like = Contains(text);
        FormattableString sql;
        if (db.Database.IsNpgsql())
        {
            sql = $"""
                SELECT id AS "Value" FROM batches
                 WHERE name ILIKE {like} OR error ILIKE {like} OR exclusive_key ILIKE {like}
                UNION
                SELECT batch_id FROM batch_items
                 WHERE item_key ILIKE {like} OR error ILIKE {like} OR result ILIKE {like}
                """;
        }
        else if (text.EnumerateRunes().Count() >= 3)
        {
            var phrase = "\"" + text.Replace("\"", "\"\"") + "\"";
            var named = await db.Database.SqlQuery<NameMatch>($"""
                SELECT id AS "Id", total AS "Total" FROM batches
                 WHERE name LIKE {like} ESCAPE '\' OR error LIKE {like} ESCAPE '\' OR exclusive_key LIKE {like} ESCAPE '\'
                """).ToListAsync(ct);
            var scan = new ItemSearchSkipScan(named.Select(n => ((string)SqlValues.SqliteId(n.Id), (long)n.Total)));
            await scan.AddMatchingBatchesAsync(db, "item_keys_search", phrase, ct);
            await scan.AddMatchingBatchesAsync(db, "item_outcomes_search", phrase, ct);
            return [.. scan.Found];
        }
        else
        {
            sql = $"""
                SELECT id AS "Value" FROM batches
                 WHERE name LIKE {like} ESCAPE '\' OR error LIKE {like} ESCAPE '\' OR exclusive_key LIKE {like} ESCAPE '\'
                UNION
                SELECT batch_id FROM batch_items
                 WHERE item_key LIKE {like} ESCAPE '\' OR error LIKE {like} ESCAPE '\' OR result LIKE {like} ESCAPE '\'
                """;
        }
        return await db.Database.SqlQuery<Guid>(sql).ToListAsync(ct);
    }

    private sealed class NameMatch
    {
        public Guid Id { get; set; }
        public int Total { get; set; }
    }

    private sealed class ToILike : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node) =>
            node.Method == Like
                ? Expression.Call(ILike, node.Arguments.Select(Visit)!)
                : base.VisitMethodCall(node);
    }
}
