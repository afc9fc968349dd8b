using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Datasets;

/// <summary>The rows a batch's <see cref="BatchSource"/> picks, as items in dataset order (possibly none).</summary>
public sealed record SelectedRows(Guid DatasetId, IReadOnlyList<ItemInput> Items, string Name, SourceRows Only)
{
    public string EmptyReason => Only == SourceRows.Pending
        ? "No row is pending: every row picked has succeeded already or is being processed by another batch."
        : "The dataset has no rows to process.";
}

/// <summary>Resolves a batch's source into rows, or says exactly what is wrong with it.</summary>
internal static class DatasetSelection
{
    /// <param name="now">Rows of a batch past its maximum run time are not held: that batch is being stopped.</param>
    public static async Task<SelectedRows?> ResolveAsync(BatchMonitorDbContext db, BatchSource source, ValidationErrors errors,
        DateTime now, CancellationToken ct)
    {
        if (source.DatasetId is not { } id)
        {
            errors.Add("source.datasetId", "Give the id of a dataset.");
            return null;
        }
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct);
        if (dataset is null)
        {
            errors.Add("source.datasetId", "No dataset has this id.");
            return null;
        }

        var only = source.Only ?? (source.Keys is { Count: > 0 } ? SourceRows.Selected : SourceRows.All);
        if (only == SourceRows.Selected && source.Keys is not { Count: > 0 })
            errors.Add("source.keys", "Select at least one row.");
        if (only != SourceRows.Selected && source.Keys is { Count: > 0 })
            errors.Add("source.keys", "Keys go with only = selected.");
        if (source.Page is < 1) errors.Add("source.page", "Pages are numbered from 1.");
        if (source.PageSize is < 1 or > DatasetRowQuery.MaxPageSize)
            errors.Add("source.pageSize", $"pageSize must be between 1 and {DatasetRowQuery.MaxPageSize}.");
        if (source.PageSize is not null && source.Page is null) errors.Add("source.page", "pageSize goes with page.");
        var pageSize = source.PageSize ?? DatasetRowQuery.DefaultPageSize;
        if (source.Page is { } p && p >= 1 && pageSize >= 1)
        {
            var pages = Math.Max(1, (dataset.RowCount + pageSize - 1) / pageSize);
            if (p > pages) errors.Add("source.page", $"Page {p} is beyond the last page ({pages}) at {pageSize} rows per page.");
        }
        if (!errors.IsValid) return null;

        var rows = db.DatasetRows.AsNoTracking().Where(r => r.DatasetId == id);
        if (source.Page is { } page)
        {
            var first = (page - 1) * pageSize;
            rows = rows.Where(r => r.Position >= first && r.Position < first + pageSize);
        }
        if (only == SourceRows.Pending)
        {
            // A row another batch over this dataset is still working on (queued, running or paused, its item not yet
            // finished) is not taken again: two batches would process it twice. A batch past its maximum run time is
            // being stopped and its unfinished items cancelled, so it holds nothing (a schedule's next run takes them).
            var held = db.Items.Where(i => (i.Status == ItemStatus.Pending || i.Status == ItemStatus.Running)
                    && db.Batches.Any(b => b.Id == i.BatchId && b.DatasetId == id
                                           && (b.Status == BatchStatus.Queued || b.Status == BatchStatus.Running || b.Status == BatchStatus.Paused)
                                           && (b.DeadlineAt == null || b.DeadlineAt > now)))
                .Select(i => i.Key);
            rows = rows.Where(r => (r.LastStatus == null || r.LastStatus == ItemStatus.Failed) && !held.Contains(r.Key));
        }

        List<DatasetRow> picked;
        if (only == SourceRows.Selected)
        {
            var keys = source.Keys!.Distinct(StringComparer.Ordinal).ToList();
            picked = [];
            foreach (var chunk in keys.Chunk(500))
                picked.AddRange(await rows.Where(r => chunk.Contains(r.Key)).ToListAsync(ct));
            if (picked.Count < keys.Count)
            {
                var found = picked.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
                var missing = keys.Where(k => !found.Contains(k)).Take(5).Select(k => $"'{BatchRequestValidator.Shorten(k)}'");
                errors.Add("source.keys", $"Not in the dataset{(source.Page is null ? "" : " page")}: {string.Join(", ", missing)}.");
                return null;
            }
            picked.Sort((a, b) => a.Position.CompareTo(b.Position));
        }
        else
        {
            picked = await rows.OrderBy(r => r.Position).ToListAsync(ct);
        }

        var items = picked.ConvertAll(r => new ItemInput(r.Key, r.Group,
            r.PayloadJson is null ? null : System.Text.Json.Nodes.JsonNode.Parse(r.PayloadJson)));
        return new SelectedRows(id, items, Describe(dataset.Name, source, only, pageSize, picked.Count), only);
    }

    private static string Describe(string dataset, BatchSource source, SourceRows only, int pageSize, int count)
    {
        var part = source.Page is { } page
            ? $"page {page} (rows {(page - 1) * pageSize + 1:N0}–{(page - 1) * pageSize + pageSize:N0})"
            : "all rows";
        var what = only switch
        {
            SourceRows.Pending => $"pending of {part}",
            SourceRows.Selected => $"{count:N0} selected",
            _ => part,
        };
        var name = $"{dataset} · {what}";
        return name.Length <= BatchRequestValidator.MaxNameLength ? name : name[..(BatchRequestValidator.MaxNameLength - 1)] + "…";
    }
}
