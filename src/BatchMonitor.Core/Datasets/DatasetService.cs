using BatchMonitor.Core.Access;
using BatchMonitor.Core.Audit;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Validation;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace BatchMonitor.Core.Datasets;

/// <summary>
/// Datasets: create, read a page of rows with their last outcome, append, rename, delete. Every command takes the
/// acting user and refuses one who may not change things (<see cref="Actor"/>). Names are unique, trimmed and
/// case-insensitively ("Accounts" and " accounts " are one name), so every list that offers datasets by name (the
/// schedule form, New batch) offers each once.
/// </summary>
public sealed class DatasetService(IDbContextFactory<BatchMonitorDbContext> contexts, TimeProvider time, AuditTrail audit)
{
    public const int MaxNameLength = 200;

    public async Task<DatasetResult> CreateAsync(string? name, IReadOnlyList<ItemInput>? rows, Actor actor,
        CancellationToken ct = default)
    {
        if (!actor.MayChange) return DatasetResult.Forbidden;
        var errors = new ValidationErrors();
        var trimmed = ValidateName(name, errors);
        var valid = BatchRequestValidator.ValidateItems(rows, errors, "items", "row");
        if (!errors.IsValid) return DatasetResult.Invalid(errors);

        await using var db = await contexts.CreateDbContextAsync(ct);
        // The check and the insert in one transaction (SQLite's is a write transaction from its start): two creates of
        // one name cannot both pass the check.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await TakenAsync(db, trimmed!, null, ct) is { } taken) return taken;
        var now = time.GetUtcNow().UtcDateTime;
        var dataset = new Dataset(Guid.CreateVersion7(), trimmed!, now, actor.Name);
        dataset.Appended(valid.Count, now);
        db.Datasets.Add(dataset);
        audit.Add(db, actor, AuditActions.DatasetCreated, AuditSubjects.Dataset(dataset.Id), $"'{dataset.Name}', {valid.Count:N0} row(s)");
        await db.SaveChangesAsync(ct);
        await DatasetRowInserter.InsertAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), dataset.Id, 0, valid, ct);
        await transaction.CommitAsync(ct);
        return DatasetResult.Ok(DatasetView.From(dataset, valid.Count, 0, 0));
    }

    public async Task<IReadOnlyList<DatasetView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var datasets = await db.Datasets.AsNoTracking().OrderBy(d => d.Name).ThenBy(d => d.CreatedAt).ToListAsync(ct);
        var counts = await db.DatasetRows.GroupBy(r => new { r.DatasetId, r.LastStatus })
            .Select(g => new { g.Key.DatasetId, g.Key.LastStatus, Count = g.Count() }).ToListAsync(ct);
        return datasets.ConvertAll(d => DatasetView.From(d,
            counts.Where(c => c.DatasetId == d.Id && c.LastStatus == null).Sum(c => c.Count),
            counts.Where(c => c.DatasetId == d.Id && c.LastStatus == ItemStatus.Succeeded).Sum(c => c.Count),
            counts.Where(c => c.DatasetId == d.Id && c.LastStatus == ItemStatus.Failed).Sum(c => c.Count)));
    }

    public async Task<DatasetView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await ViewAsync(db, id, ct);
    }

    /// <summary>One page of rows in dataset order; null when the dataset does not exist.</summary>
    public async Task<RowPage?> RowsAsync(Guid id, DatasetRowQuery query, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Datasets.AnyAsync(d => d.Id == id, ct)) return null;
        var rows = db.DatasetRows.AsNoTracking().Where(r => r.DatasetId == id);
        rows = query.Status switch
        {
            RowFilter.Never => rows.Where(r => r.LastStatus == null),
            RowFilter.Succeeded => rows.Where(r => r.LastStatus == ItemStatus.Succeeded),
            RowFilter.Failed => rows.Where(r => r.LastStatus == ItemStatus.Failed),
            RowFilter.Pending => rows.Where(r => r.LastStatus == null || r.LastStatus == ItemStatus.Failed),
            _ => rows,
        };
        if (query.Group is { Length: > 0 } group) rows = rows.Where(r => r.Group == group);
        if (query.Text is { Length: > 0 } text)
        {
            var like = "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            rows = rows.WhereMatches(db, r => EF.Functions.Like(r.Key, like, "\\"));
        }
        var total = await rows.CountAsync(ct);
        // A page past any dataset's last row is empty (never a wrapped-round offset that shows the first rows).
        var first = Paging.FirstRow(query.Page, query.PageSize);
        var page = first > Paging.MaxOffset ? []
            : await rows.OrderBy(r => r.Position).Skip((int)first).Take(query.PageSize).ToListAsync(ct);
        return new RowPage(page.ConvertAll(DatasetRowView.From), total, query.Page, query.PageSize);
    }

    /// <summary>The groups the dataset's rows use, for a filter.</summary>
    public async Task<IReadOnlyList<string>> GroupsAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.DatasetRows.Where(r => r.DatasetId == id && r.Group != null).Select(r => r.Group!)
            .Distinct().OrderBy(g => g).ToListAsync(ct);
    }

    /// <summary>The queued, running or paused batch over this dataset, if any (the newest).</summary>
    public async Task<BatchView?> ActiveBatchAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var batch = await db.Batches.AsNoTracking()
            .Where(b => b.DatasetId == id && (b.Status == BatchStatus.Queued || b.Status == BatchStatus.Running || b.Status == BatchStatus.Paused))
            .OrderByDescending(b => b.CreatedAt).FirstOrDefaultAsync(ct);
        return batch is null ? null : BatchView.From(batch);
    }

    /// <summary>The newest batch over this dataset: its handler, args and options prefill the next run.</summary>
    public async Task<BatchView?> LastBatchAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var batch = await db.Batches.AsNoTracking().Where(b => b.DatasetId == id)
            .OrderByDescending(b => b.CreatedAt).FirstOrDefaultAsync(ct);
        return batch is null ? null : BatchView.From(batch);
    }

    /// <summary>Adds rows at the end; a key already in the dataset is refused.</summary>
    public async Task<DatasetResult> AppendAsync(Guid id, IReadOnlyList<ItemInput>? rows, Actor actor, CancellationToken ct = default)
    {
        if (!actor.MayChange) return DatasetResult.Forbidden;
        var errors = new ValidationErrors();
        var valid = BatchRequestValidator.ValidateItems(rows, errors, "items", "row");
        if (!errors.IsValid) return DatasetResult.Invalid(errors);

        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Two appends at once: the second waits, then numbers its rows after the first one's.
        var dataset = await db.Datasets.ForUpdate().SingleOrDefaultAsync(d => d.Id == id, ct);
        if (dataset is null) return DatasetResult.NotFound;
        if (dataset.RowCount + valid.Count > BatchRequestValidator.MaxItems)
            return DatasetResult.Invalid(ValidationErrors.Single("items",
                $"A dataset holds at most {BatchRequestValidator.MaxItems:N0} rows; it has {dataset.RowCount:N0}."));

        var existing = new List<string>();
        foreach (var chunk in valid.Select(r => r.Key).Chunk(500))
        {
            existing.AddRange(await db.DatasetRows.Where(r => r.DatasetId == id && chunk.Contains(r.Key))
                .Select(r => r.Key).Take(5 - existing.Count).ToListAsync(ct));
            if (existing.Count >= 5) break;
        }
        if (existing.Count > 0)
            return DatasetResult.Invalid(ValidationErrors.Single("items",
                $"Already in the dataset: {string.Join(", ", existing.Select(k => $"'{BatchRequestValidator.Shorten(k)}'"))}."));

        await DatasetRowInserter.InsertAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), id, dataset.RowCount, valid, ct);
        dataset.Appended(valid.Count, time.GetUtcNow().UtcDateTime);
        audit.Add(db, actor, AuditActions.DatasetUpdated, AuditSubjects.Dataset(id), $"{valid.Count:N0} row(s) appended");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return DatasetResult.Ok(await ViewAsync(db, id, ct));
    }

    public async Task<DatasetResult> RenameAsync(Guid id, string? name, Actor actor, CancellationToken ct = default)
    {
        if (!actor.MayChange) return DatasetResult.Forbidden;
        var errors = new ValidationErrors();
        var trimmed = ValidateName(name, errors);
        if (!errors.IsValid) return DatasetResult.Invalid(errors);
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var dataset = await db.Datasets.SingleOrDefaultAsync(d => d.Id == id, ct);
        if (dataset is null) return DatasetResult.NotFound;
        if (await TakenAsync(db, trimmed!, id, ct) is { } taken) return taken;
        audit.Add(db, actor, AuditActions.DatasetUpdated, AuditSubjects.Dataset(id), $"renamed from '{dataset.Name}' to '{trimmed}'");
        dataset.Rename(trimmed!, time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return DatasetResult.Ok(await ViewAsync(db, id, ct));
    }

    /// <summary>Deletes a dataset and its rows; refused while a batch over it is queued, running or paused.</summary>
    public async Task<DatasetResult> DeleteAsync(Guid id, Actor actor, CancellationToken ct = default)
    {
        if (!actor.MayChange) return DatasetResult.Forbidden;
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var dataset = await db.Datasets.ForUpdate().SingleOrDefaultAsync(d => d.Id == id, ct);
        if (dataset is null) return DatasetResult.NotFound;
        var active = await db.Batches.Where(b => b.DatasetId == id
                && (b.Status == BatchStatus.Queued || b.Status == BatchStatus.Running || b.Status == BatchStatus.Paused))
            .Select(b => b.Name).FirstOrDefaultAsync(ct);
        if (active is not null) return DatasetResult.Conflict($"Batch '{active}' is still working on this dataset; cancel it first.");
        db.Datasets.Remove(dataset);
        audit.Add(db, actor, AuditActions.DatasetDeleted, AuditSubjects.Dataset(id), $"'{dataset.Name}'");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return DatasetResult.Ok(null);
    }

    private static string? ValidateName(string? name, ValidationErrors errors)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed)) errors.Add("name", "Give the dataset a name.");
        else if (trimmed.Length > MaxNameLength) errors.Add("name", $"The name must be at most {MaxNameLength} characters.");
        else if (DisplayText.Problem(trimmed, "The name") is { } unsafeName) errors.Add("name", unsafeName);
        return trimmed;
    }

    /// <summary>
    /// The refusal when another dataset (not <paramref name="self"/>) has this name, compared trimmed and ignoring case.
    /// Compared here rather than in SQL: SQLite's lower() folds ASCII only, and a workplace has tens of datasets, not millions.
    /// </summary>
    private static async Task<DatasetResult?> TakenAsync(BatchMonitorDbContext db, string name, Guid? self, CancellationToken ct)
    {
        var others = db.Datasets.AsNoTracking();
        if (self is { } id) others = others.Where(d => d.Id != id);
        var names = await others.Select(d => d.Name).ToListAsync(ct);
        return names.FirstOrDefault(n => string.Equals(n.Trim(), name, StringComparison.OrdinalIgnoreCase)) is { } other
            ? DatasetResult.NameTaken($"A dataset called “{other}” already exists; choose another name.")
            : null;
    }

    private static async Task<DatasetView?> ViewAsync(BatchMonitorDbContext db, Guid id, CancellationToken ct)
    {
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct);
        if (dataset is null) return null;
        var counts = await db.DatasetRows.Where(r => r.DatasetId == id).GroupBy(r => r.LastStatus)
            .Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        int Count(ItemStatus? s) => counts.Where(c => c.Status == s).Sum(c => c.Count);
        return DatasetView.From(dataset, Count(null), Count(ItemStatus.Succeeded), Count(ItemStatus.Failed));
    }
}
