using BatchMonitor.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// Text search in one batch's log messages, as a substring that ignores case, from an index: on SQLite the FTS5 trigram
/// table <c>log_lines_search</c> (the LogSearch migration keeps it in step with <c>log_lines</c> by triggers), looked up
/// only within the batch's range of sequence numbers, so a word common in other batches' logs costs this batch nothing;
/// on PostgreSQL a pg_trgm GIN index under <c>ILIKE</c>. Text shorter than three characters has no trigram: it scans
/// the batch's lines (LIKE), correct but not indexed.
/// </summary>
internal static class LogSearch
{
    /// <summary>The lines of <paramref name="lines"/> (one batch's, whose sequence numbers lie in <paramref name="from"/>..<paramref name="to"/>) whose message holds <paramref name="text"/>.</summary>
    public static IQueryable<LogLine> WhereMessageHolds(this IQueryable<LogLine> lines, BatchMonitorDbContext db, string text,
        long from, long to)
    {
        if (db.Database.IsNpgsql() || text.EnumerateRunes().Count() < 3)
        {
            var like = TextSearch.Contains(text);
            return lines.WhereMatches(db, l => EF.Functions.Like(l.Message, like, "\\"));
        }
        var phrase = "\"" + text.Replace("\"", "\"\"") + "\"";
        var matching = db.Database.SqlQuery<long>($"""
            SELECT rowid AS "Value" FROM log_lines_search
             WHERE log_lines_search MATCH {phrase} AND rowid BETWEEN {from} AND {to}
            """);
        return lines.Where(l => matching.Contains(l.Seq));
    }
}
