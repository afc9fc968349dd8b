namespace BatchMonitor.Core.Domain;

/// <summary>The state of one item. See <see cref="Lifecycle"/> for what moves an item into each one.</summary>
public enum ItemStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Skipped,
    Cancelled,
}

public static class ItemStatusExtensions
{
    public static bool IsFinished(this ItemStatus status) =>
        status is ItemStatus.Succeeded or ItemStatus.Failed or ItemStatus.Skipped or ItemStatus.Cancelled;
}
