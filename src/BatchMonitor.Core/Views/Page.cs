namespace BatchMonitor.Core.Views;

/// <summary>One page of a list: <c>{items, total, limit, offset}</c>.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Limit, int Offset);
