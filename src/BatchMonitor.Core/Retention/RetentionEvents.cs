namespace BatchMonitor.Core.Retention;

/// <summary>
/// Announces, after commit, that retention's state moved on this node: its settings were saved, or a turn of the
/// pruner finished (with what it removed). It carries what happened; a page reads the state again. Batches a turn
/// removes are also announced one by one as deleted batches (<see cref="Events.BatchEvents"/>), which reach other nodes.
/// </summary>
public sealed class RetentionEvents
{
    public event Action<PruneReport?>? Changed;

    /// <summary>The settings were saved.</summary>
    public void SettingsChanged() => Changed?.Invoke(null);

    /// <summary>A turn ended (or found another node's turn running).</summary>
    public void Pruned(PruneReport report) => Changed?.Invoke(report);
}
