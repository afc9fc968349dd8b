using System.Runtime.CompilerServices;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Validation;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Services;

/// <summary>What a read of a batch's log found: its lines, or why the query was refused; neither when the batch does not exist.</summary>
public sealed record LogRead(IReadOnlyList<LogLineView>? Lines, ValidationErrors? Errors)
{
    public static readonly LogRead NotFound = new(null, null);
}

public sealed partial class BatchService
{
    /// <summary>Lines a download reads at a time: a log of a million lines streams without sitting in memory.</summary>
    public const int LogDownloadPage = 2000;

    /// <summary>
    /// Log lines after <paramref name="afterSeq"/>, oldest first; with <paramref name="tail"/>, the newest
    /// <paramref name="limit"/> lines instead. Null when the batch does not exist.
    /// </summary>
    public async Task<IReadOnlyList<LogLineView>?> LogsAsync(Guid id, long afterSeq = 0, int limit = 200, bool tail = false,
        CancellationToken ct = default) =>
        (await LogsAsync(id, new LogQuery { AfterSeq = afterSeq, Limit = limit, Tail = tail }, ct)).Lines;

    /// <summary>
    /// The lines of a batch's log that match <paramref name="query"/>, oldest first (with <see cref="LogQuery.Tail"/> the
    /// newest of them). An item key the batch does not have is refused (<c>item</c>), not answered with nothing.
    /// </summary>
    public async Task<LogRead> LogsAsync(Guid id, LogQuery query, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Batches.AnyAsync(b => b.Id == id, ct)) return LogRead.NotFound;
        if (query.ItemKey is { } key && !await db.Items.AnyAsync(i => i.BatchId == id && i.Key == key, ct))
            return new LogRead(null, ValidationErrors.Single("item", "This batch has no item with that key."));

        var lines = db.LogLines.AsQueryable();
        if (query.Text is { } text)
        {
            // The batch's first and last line (two seeks in ix_log_lines_batch_seq) bound the index lookup.
            var batchLines = db.LogLines.Where(l => l.BatchId == id).Select(l => l.Seq);
            var last = await batchLines.OrderByDescending(s => s).FirstOrDefaultAsync(ct);
            var first = await batchLines.OrderBy(s => s).FirstOrDefaultAsync(ct);
            lines = LogSearch.Matching(db, text, Math.Max(first, query.AfterSeq + 1), last);
        }
        lines = lines.AsNoTracking().Where(l => l.BatchId == id && l.Seq > query.AfterSeq);
        if (query.Levels.Count > 0) lines = lines.Where(l => query.Levels.Contains(l.Level));
        if (query.ItemKey is { } item) lines = lines.Where(l => l.ItemKey == item);
        var page = query.Tail
            ? (await lines.OrderByDescending(l => l.Seq).Take(query.Limit).ToListAsync(ct)).AsEnumerable().Reverse().ToList()
            : await lines.OrderBy(l => l.Seq).Take(query.Limit).ToListAsync(ct);
        return new LogRead(page.ConvertAll(LogLineView.From), null);
    }

    /// <summary>
    /// A batch's whole log, oldest first, read <paramref name="pageSize"/> lines at a time (each page its own short
    /// query, after the last line of the one before), so neither the lines nor a long read sit on the server while
    /// the client downloads. Lines written meanwhile are included up to the end.
    /// </summary>
    public async IAsyncEnumerable<LogLineView> DownloadLogAsync(Guid id, int pageSize = LogDownloadPage,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var after = 0L;
        while (true)
        {
            List<Domain.LogLine> page;
            await using (var db = await contexts.CreateDbContextAsync(ct))
            {
                page = await db.LogLines.AsNoTracking().Where(l => l.BatchId == id && l.Seq > after)
                    .OrderBy(l => l.Seq).Take(pageSize).ToListAsync(ct);
            }
            foreach (var line in page) yield return LogLineView.From(line);
            if (page.Count < pageSize) yield break;
            after = page[^1].Seq;
        }
    }
}
