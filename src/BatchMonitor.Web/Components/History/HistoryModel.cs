using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Rollups;
using BatchMonitor.Core.Views;

namespace BatchMonitor.Web.Components.History;

/// <summary>
/// The window a history panel shows: read from the rollups, then kept up with the finished items the engine announces
/// (each counted once, in the step that holds its finish, as the ledger counts it in its minute).
/// </summary>
public sealed class HistoryModel
{
    private readonly HashSet<(Guid, int, DateTime)> _counted = [];
    private List<HistoryPoint> _points = [];

    public HistoryView? View { get; private set; }

    public IReadOnlyList<HistoryPoint> Points => _points;

    public int Succeeded => _points.Sum(p => p.Succeeded);

    public int Failed => _points.Sum(p => p.Failed);

    public double? MeanMs => Succeeded + Failed == 0 ? null : Math.Round((double)_points.Sum(p => p.DurationMsSum) / (Succeeded + Failed), 1);

    /// <summary>The window's p95, from every step's buckets summed.</summary>
    public double? P95Ms => DurationBuckets.P95([.. Enumerable.Range(0, DurationBuckets.Count).Select(b => _points.Sum(p => p.Buckets[b]))]);

    public int DeepestQueue => _points.Count == 0 ? 0 : _points.Max(p => p.QueueDepth);

    public void Load(HistoryView view)
    {
        View = view;
        _points = [.. view.Points];
        _counted.Clear();
    }

    /// <summary>
    /// An item of the batch that reached succeeded or failed: added to its step. Returns false when it finished after the
    /// window's end (the window has moved on: read it again).
    /// </summary>
    public bool Add(Guid batchId, ItemView item)
    {
        if (View is null || item.Status is not (ItemStatus.Succeeded or ItemStatus.Failed) || item.FinishedAt is not { } at) return true;
        if (at >= View.To) return false;
        if (at < View.From || !_counted.Add((batchId, item.Index, at))) return true;
        if (_counted.Count > 100_000) _counted.Clear();
        var step = (View.To - View.From) / _points.Count;
        var index = (int)((at - View.From) / step);
        _points[index] = _points[index].Adding(item.Status == ItemStatus.Succeeded, item.DurationMs);
        return true;
    }
}
