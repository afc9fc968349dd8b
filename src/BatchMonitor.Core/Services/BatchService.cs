using System.Runtime.CompilerServices;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Audit;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Validation;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace BatchMonitor.Core.Services;

/// <summary>
/// The one entry point to batches for the pages, the API and schedules: create, read, steer. It reads the
/// store (one context per call), leaves running items to the engine, and announces what it commits.
/// Every command takes the acting user and refuses one who may not change things (<see cref="Actor"/>).
/// </summary>
public sealed partial class BatchService(
    IDbContextFactory<BatchMonitorDbContext> contexts,
    HandlerRegistry handlers,
    BatchTransitions transitions,
    BatchEvents events,
    EngineSignals signals,
    TimeProvider time,
    AuditTrail audit)
{
    public IReadOnlyList<IBatchHandler> Handlers => handlers.All;

    /// <summary>Validates and stores a batch with its items in one transaction; the engine picks it up at once.</summary>
    public Task<CreateResult> CreateAsync(CreateBatchRequest request, Actor actor, CancellationToken ct = default) =>
        CreateAsync(request, actor, null, ct);

    /// <summary>Creates a batch for a schedule's fire: the batch carries the schedule's id.</summary>
    public Task<CreateResult> CreateForScheduleAsync(CreateBatchRequest request, Guid scheduleId, Actor actor,
        CancellationToken ct = default) =>
        CreateAsync(request, actor, scheduleId, ct);

    private async Task<CreateResult> CreateAsync(CreateBatchRequest request, Actor actor, Guid? scheduleId, CancellationToken ct)
    {
        if (!actor.MayChange) return CreateResult.Forbidden;
        Guid? datasetId = null;
        if (request.Source is { } source)
        {
            var sourceErrors = new ValidationErrors();
            if (request.Items is not null)
            {
                sourceErrors.Add("source", "Give either items or a source, not both.");
                return CreateResult.Invalid(sourceErrors);
            }
            await using var db = await contexts.CreateDbContextAsync(ct);
            var selected = await DatasetSelection.ResolveAsync(db, source, sourceErrors, time.GetUtcNow().UtcDateTime, ct);
            if (selected is null)
            {
                // Report the rest of the request's problems too, as if the items were fine.
                BatchRequestValidator.Validate(request with { Source = null, Items = [new ItemInput("x")] }, handlers, out _)
                    .AddTo(sourceErrors);
                return CreateResult.Invalid(sourceErrors);
            }
            if (selected.Items.Count == 0)
                return CreateResult.Invalid(ValidationErrors.Single("source", selected.EmptyReason)) with { NothingToDo = true };
            datasetId = selected.DatasetId;
            request = request with { Source = null, Items = selected.Items, Name = string.IsNullOrWhiteSpace(request.Name) ? selected.Name : request.Name };
        }
        var errors = BatchRequestValidator.Validate(request, handlers, out var valid);
        if (!errors.IsValid) return CreateResult.Invalid(errors);
        return await StoreAsync(valid!, actor, null, ct, datasetId, scheduleId);
    }

    /// <summary>A new queued batch with the same handler, args, options and items as another.</summary>
    public async Task<CreateResult?> CloneAsync(Guid id, Actor actor, CancellationToken ct = default)
    {
        if (!actor.MayChange) return CreateResult.Forbidden;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var source = await db.Batches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, ct);
        if (source is null) return null;
        if (source.RemovalStartedAt is not null) return CreateResult.Refused(BeingDeleted);
        var name = source.Name.EndsWith(" (copy)", StringComparison.Ordinal) ? source.Name : Shorten(source.Name + " (copy)");
        var valid = new ValidBatch(name, source.Handler, source.ArgsJson, source.Options, []);
        return await StoreAsync(valid, actor, source, ct, source.DatasetId);
    }

    /// <summary>Its rows are going (a delete or retention): what is left of it is no longer the batch to copy.</summary>
    public const string BeingDeleted = "This batch is being deleted; it can no longer be copied.";

    /// <summary>The batch was not stopped before its end, so it has no rest to run.</summary>
    public const string NoRest = "Only a cancelled or timed-out batch has a rest to run.";

    /// <summary>
    /// "Run the rest": a new queued batch of a cancelled or timed-out batch's unfinished (cancelled) items, with the same
    /// handler, args and options, in their order; the finished items stay where they are.
    /// </summary>
    public async Task<CreateResult?> RunTheRestAsync(Guid id, Actor actor, CancellationToken ct = default)
    {
        if (!actor.MayChange) return CreateResult.Forbidden;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var source = await db.Batches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, ct);
        if (source is null) return null;
        if (source.RemovalStartedAt is not null) return CreateResult.Refused(BeingDeleted);
        if (source.Status is not (BatchStatus.Cancelled or BatchStatus.TimedOut)) return CreateResult.Refused(NoRest);
        var rest = await db.Items.AsNoTracking()
            .Where(i => i.BatchId == id && (i.Status == ItemStatus.Cancelled || i.Status == ItemStatus.Pending))
            .OrderBy(i => i.Index).Select(i => new NewItem(i.Key, i.Group, i.PayloadJson)).ToListAsync(ct);
        if (rest.Count == 0) return CreateResult.Refused("Every item of this batch finished: there is no rest to run.");
        var name = source.Name.EndsWith(" (the rest)", StringComparison.Ordinal) ? source.Name : Shorten(source.Name + " (the rest)");
        return await StoreAsync(new ValidBatch(name, source.Handler, source.ArgsJson, source.Options, rest), actor, null, ct, source.DatasetId,
            auditDetail: $"the rest of batch {source.Id} '{source.Name}', {Plural(rest.Count, "item")}");
    }

    public async Task<BatchView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var batch = await db.Batches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, ct);
        return batch is null ? null : BatchView.From(batch);
    }

    public async Task<Page<BatchView>> ListAsync(BatchListQuery query, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await BatchListReader.ListAsync(db, query, ct);
    }

    /// <summary>The list and the counts of its status tabs (for the same handler and text), over one search.</summary>
    public async Task<(Page<BatchView> Page, StatusCounts Counts)> ListWithCountsAsync(BatchListQuery query, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await BatchListReader.ListWithCountsAsync(db, query, ct);
    }

    /// <summary>How many batches are in each status, for the same handler and text filter (the status tabs).</summary>
    public async Task<Dictionary<BatchStatus, int>> CountByStatusAsync(string? handler = null, string? text = null,
        CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await BatchListReader.CountsAsync(db, handler, text, ct)).ByStatus;
    }

    /// <summary>Running, paused and queued batches: running first, then by priority and age.</summary>
    public async Task<IReadOnlyList<BatchView>> ActiveAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var active = await db.Batches.AsNoTracking()
            .Where(b => b.Status == BatchStatus.Running || b.Status == BatchStatus.Paused || b.Status == BatchStatus.Queued)
            .ToListAsync(ct);
        return active
            .OrderBy(b => b.Status switch { BatchStatus.Running => 0, BatchStatus.Paused => 1, _ => 2 })
            .ThenByDescending(b => b.Priority).ThenBy(b => b.CreatedAt)
            .Select(BatchView.From).ToList();
    }

    /// <summary>
    /// One page of a batch's items in index order; null when the batch does not exist. Without a text filter the total
    /// comes from the batch's counters (equal to the items table at every commit), not from counting the items.
    /// </summary>
    public async Task<Page<ItemView>?> ItemsAsync(Guid id, ItemQuery query, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var counters = await db.Batches.AsNoTracking().Where(b => b.Id == id)
            .Select(b => new { b.Total, b.Pending, b.Running, b.Succeeded, b.Failed, b.Skipped, b.Cancelled }).SingleOrDefaultAsync(ct);
        if (counters is null) return null;
        var items = db.Items.AsNoTracking().Where(i => i.BatchId == id);
        if (query.Statuses.Count > 0) items = items.Where(i => query.Statuses.Contains(i.Status));
        int total;
        if (query.Text is { } text)
        {
            var like = TextSearch.Contains(text);
            items = items.WhereMatches(db, i => EF.Functions.Like(i.Key, like, "\\"));
            total = await items.CountAsync(ct);
        }
        else
        {
            total = query.Statuses.Count == 0 ? counters.Total : query.Statuses.Sum(s => s switch
            {
                ItemStatus.Pending => counters.Pending,
                ItemStatus.Running => counters.Running,
                ItemStatus.Succeeded => counters.Succeeded,
                ItemStatus.Failed => counters.Failed,
                ItemStatus.Skipped => counters.Skipped,
                _ => counters.Cancelled,
            });
        }
        var page = await items.OrderBy(i => i.Index).Skip(query.Offset).Take(query.Limit).ToListAsync(ct);
        return new Page<ItemView>(page.ConvertAll(ItemView.From), total, query.Limit, query.Offset);
    }

    /// <summary>Items whose keys are given, in index order (a dataset page shows its rows' live state).</summary>
    public async Task<IReadOnlyList<ItemView>> ItemsByKeyAsync(Guid id, IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var items = await db.Items.AsNoTracking().Where(i => i.BatchId == id && keys.Contains(i.Key))
            .OrderBy(i => i.Index).ToListAsync(ct);
        return items.ConvertAll(ItemView.From);
    }

    /// <summary>How a batch's items stand per group (groups are what seed 004 calls servers); empty without groups.</summary>
    public async Task<IReadOnlyList<GroupCounts>> GroupCountsAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        // The grouped-items index holds only grouped items: a batch without groups stops here, reading nothing.
        if (!await db.Items.AnyAsync(i => i.BatchId == id && i.Group != null, ct)) return [];
        var rows = await db.Items.Where(i => i.BatchId == id && i.Group != null)
            .GroupBy(i => new { i.Group, i.Status })
            .Select(g => new { g.Key.Group, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        return rows.GroupBy(r => r.Group!).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            int Count(ItemStatus s) => g.Where(r => r.Status == s).Sum(r => r.Count);
            return new GroupCounts(g.Key, g.Sum(r => r.Count), Count(ItemStatus.Pending), Count(ItemStatus.Running),
                Count(ItemStatus.Succeeded), Count(ItemStatus.Failed), Count(ItemStatus.Skipped), Count(ItemStatus.Cancelled));
        }).ToList();
    }

    /// <summary>The newest error lines across batches: what failed lately, and why.</summary>
    public async Task<IReadOnlyList<LogLineView>> RecentErrorsAsync(int limit = 10, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var lines = await db.LogLines.AsNoTracking().Where(l => l.Level == LogLevels.Error)
            .OrderByDescending(l => l.Seq).Take(limit).ToListAsync(ct);
        return lines.ConvertAll(LogLineView.From);
    }

    /// <summary>Every item of a batch in index order, read as it streams (an export of 100,000 items stays small in memory).</summary>
    public async IAsyncEnumerable<ItemView> ExportAsync(Guid id, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await foreach (var item in db.Items.AsNoTracking().Where(i => i.BatchId == id).OrderBy(i => i.Index)
                           .AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return ItemView.From(item);
        }
    }

    public async Task<StatsView> StatsAsync(TimeSpan window, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var since = now - window;
        var from = new DateTime(since.Year, since.Month, since.Day, since.Hour, since.Minute, 0, DateTimeKind.Utc);
        await using var db = await contexts.CreateDbContextAsync(ct);
        // Minutes holding only a queue depth sample finished nothing.
        var rows = await db.ThroughputMinutes.AsNoTracking().Where(m => m.Minute >= from && m.Succeeded + m.Failed > 0).ToListAsync(ct);
        var batches = await db.Batches.GroupBy(b => b.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var seconds = Math.Max(1, window.TotalSeconds);

        static double? Mean(long duration, int count) => count == 0 ? null : Math.Round((double)duration / count, 1);
        var succeeded = rows.Sum(r => r.Succeeded);
        var failed = rows.Sum(r => r.Failed);
        return new StatsView(
            window,
            Enum.GetValues<BatchStatus>().ToDictionary(s => s.Name(), s => batches.FirstOrDefault(b => b.Key == s)?.Count ?? 0),
            succeeded,
            failed,
            Math.Round((succeeded + failed) / seconds, 3),
            Mean(rows.Sum(r => r.DurationMsSum), succeeded + failed),
            rows.GroupBy(r => r.Handler).OrderBy(g => g.Key).Select(g => new HandlerStats(g.Key,
                g.Sum(r => r.Succeeded), g.Sum(r => r.Failed), Math.Round(g.Sum(r => r.Succeeded + r.Failed) / seconds, 3),
                Mean(g.Sum(r => r.DurationMsSum), g.Sum(r => r.Succeeded + r.Failed)))).ToList(),
            rows.GroupBy(r => r.Minute).OrderBy(g => g.Key)
                .Select(g => new MinuteStats(g.Key, g.Sum(r => r.Succeeded), g.Sum(r => r.Failed))).ToList());
    }

    public Task<ChangeResult> PauseAsync(Guid id, Actor actor, CancellationToken ct = default) =>
        Allowed(actor, () => transitions.PauseAsync(id, ct, new(actor, AuditActions.BatchPaused)));

    public Task<ChangeResult> ResumeAsync(Guid id, Actor actor, CancellationToken ct = default) =>
        Allowed(actor, () => transitions.ResumeAsync(id, ct, new(actor, AuditActions.BatchResumed)));

    public Task<ChangeResult> CancelAsync(Guid id, Actor actor, CancellationToken ct = default) =>
        Allowed(actor, () => transitions.CancelAsync(id, ct, new(actor, AuditActions.BatchCancelled)));

    public Task<ChangeResult> RetryFailedAsync(Guid id, Actor actor, CancellationToken ct = default) =>
        Allowed(actor, () => transitions.RetryFailedAsync(id, ct, new(actor, AuditActions.BatchRetried)));

    /// <summary>One failed or cancelled item runs again (see <see cref="BatchTransitions.RetryItemAsync"/>).</summary>
    public Task<ChangeResult> RetryItemAsync(Guid id, int index, Actor actor, CancellationToken ct = default) =>
        Allowed(actor, () => transitions.RetryItemAsync(id, index, ct, new(actor, AuditActions.ItemRetried, $"item {index}")));

    public Task<ChangeResult> SetPriorityAsync(Guid id, int priority, Actor actor, CancellationToken ct = default) =>
        Allowed(actor, () => priority is < -1000 or > 1000
            ? Task.FromResult(ChangeResult.Conflict("priority must be between -1000 and 1000."))
            : transitions.SetPriorityAsync(id, priority, ct, new(actor, AuditActions.BatchReprioritised, $"priority {priority}")));

    public Task<ChangeResult> DeleteAsync(Guid id, Actor actor, CancellationToken ct = default) =>
        Allowed(actor, () => transitions.DeleteAsync(id, ct, new(actor, AuditActions.BatchDeleted)));

    private static Task<ChangeResult> Allowed(Actor actor, Func<Task<ChangeResult>> change) =>
        actor.MayChange ? change() : Task.FromResult(ChangeResult.Forbidden);

    private async Task<CreateResult> StoreAsync(ValidBatch valid, Actor actor, Batch? copyItemsFrom, CancellationToken ct,
        Guid? datasetId = null, Guid? scheduleId = null, string? auditDetail = null)
    {
        var createdBy = actor.Name;
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        if (valid.Options is { OnConflict: ConflictPolicy.Reject, ExclusiveKey: { } key })
        {
            // Two such batches created at once: the second waits here, then sees the first one holding the key.
            await db.Database.LockNameAsync("exclusive-key:" + key, ct);
            var holder = await db.Batches.AsNoTracking()
                .Where(b => b.ExclusiveKey == key
                            && (b.Status == BatchStatus.Queued || b.Status == BatchStatus.Running || b.Status == BatchStatus.Paused))
                .Select(b => new { b.Name, b.Status }).FirstOrDefaultAsync(ct);
            if (holder is not null)
                return CreateResult.Refused($"Batch '{holder.Name}' ({holder.Status.Name()}) already holds exclusive key '{key}'.");
        }

        var total = copyItemsFrom?.Total ?? valid.Items.Count;
        var batch = new Batch(Guid.CreateVersion7(), valid.Name, valid.Handler, valid.ArgsJson, valid.Options, total,
            time.GetUtcNow().UtcDateTime, createdBy) { DatasetId = datasetId, ScheduleId = scheduleId };
        db.Batches.Add(batch);
        audit.Add(db, actor, copyItemsFrom is null ? AuditActions.BatchCreated : AuditActions.BatchCloned, AuditSubjects.Batch(batch.Id),
            auditDetail ?? (copyItemsFrom is { } from ? $"from batch {from.Id} '{from.Name}'" : scheduleId is { } s ? $"by schedule {s}" : $"'{batch.Name}', {Plural(total, "item")}"));
        await db.SaveChangesAsync(ct);

        var connection = db.Database.GetDbConnection();
        var dbTransaction = transaction.GetDbTransaction();
        if (copyItemsFrom is null)
            await ItemBulkInserter.InsertAsync(connection, dbTransaction, batch.Id, valid.Items, ct);
        else
            await CopyItemsAsync(db, copyItemsFrom.Id, batch.Id, ct);

        var view = BatchView.From(batch);
        await transaction.CommitAsync(ct);
        events.Publish(BatchChange.Of(view));
        signals.Wake();
        return CreateResult.Created(view);
    }

    private static Task<int> CopyItemsAsync(BatchMonitorDbContext db, Guid from, Guid to, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync("""
            INSERT INTO batch_items (batch_id, item_index, item_key, group_name, payload, status, attempts, progress)
            SELECT {0}, item_index, item_key, group_name, payload, 'pending', 0, 0
              FROM batch_items WHERE batch_id = {1} ORDER BY item_index
            """, [SqlValues.Id(db.Database.GetDbConnection(), to), SqlValues.Id(db.Database.GetDbConnection(), from)], ct);

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n:N0} {noun}s";

    private static string Shorten(string name) => name.Length <= BatchRequestValidator.MaxNameLength
        ? name
        : name[..(BatchRequestValidator.MaxNameLength - 1)] + "…";
}
