using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// Search text matches the same rows on either provider: SQLite's <c>LIKE</c> ignores case (ASCII), PostgreSQL's
/// does not, so there every <c>EF.Functions.Like</c> of a filter becomes <c>ILIKE</c>.
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

    private sealed class ToILike : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node) =>
            node.Method == Like
                ? Expression.Call(ILike, node.Arguments.Select(Visit)!)
                : base.VisitMethodCall(node);
    }
}
