namespace BatchMonitor.Core.Views;

/// <summary>One page of a list: <c>{items, total, limit, offset}</c>.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Limit, int Offset);

/// <summary>How the items of one group of a batch stand.</summary>
public sealed record GroupCounts(string Group, int Total, int Pending, int Running, int Succeeded, int Failed, int Skipped, int Cancelled)
{
    public double Progress => Total == 0 ? 0 : (double)(Succeeded + Failed + Skipped + Cancelled) / Total;
}
