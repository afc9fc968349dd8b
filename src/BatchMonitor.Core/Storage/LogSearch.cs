using BatchMonitor.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// Text search in one batch's log messages, as a substring that ignores case, from an index. On SQLite the FTS5 trigram
/// table <c>log_lines_search</c> (the LogSearch migration keeps it in step with <c>log_lines</c> by triggers) drives the
/// query: its matches come in sequence order within the batch's range of lines, each joined to its line, so a page of
/// 200 stops after 200 matches however many lines match (reading the matches into an <c>IN</c> list first took 0.6 s of
/// CPU for a word in most of 200,000 lines; see docs/benchmarks.md, "Log search"). On PostgreSQL a pg_trgm GIN index
/// under <c>ILIKE</c>. Text shorter than three characters has no trigram: it scans the batch's lines (LIKE), correct
/// but not indexed.
/// </summary>
internal static class LogSearch
{
    /// <summary>
    /// Lines whose message holds <paramref name="text"/>, among those with sequence numbers <paramref name="from"/> to
    /// <paramref name="to"/> (a batch's range: the caller still filters by batch, and orders by <c>Seq</c>).
    /// </summary>
    public static IQueryable<LogLine> Matching(BatchMonitorDbContext db, string text, long from, long to)
    {
        if (db.Database.IsNpgsql() || text.EnumerateRunes().Count() < 3)
        {
            var like = TextSearch.Contains(text);
            return db.LogLines.Where(l => l.Seq >= from && l.Seq <= to).WhereMatches(db, l => EF.Functions.Like(l.Message, like, "\\"));
        }
        var phrase = "\"" + text.Replace("\"", "\"\"") + "\"";
        // CROSS JOIN keeps the index the outer loop (SQLite never reorders it): left to itself, SQLite 3.50 walks the
        // batch's lines instead and asks the index about each one (over a minute for 200,000 lines). seq is the index's
        // own rowid, so ordering by it is the order the index answers in: no sort of every match.
        return db.LogLines.FromSql($"""
            SELECT s.rowid AS seq, l.batch_id, l.at, l.level, l.item_key, l.message
              FROM log_lines_search s CROSS JOIN log_lines l ON l.seq = s.rowid
             WHERE log_lines_search MATCH {phrase} AND s.rowid BETWEEN {from} AND {to}
            """);
    }
}
