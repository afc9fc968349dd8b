namespace BatchMonitor.Core.Events;

/// <summary>
/// Announces that a node's row moved: a heartbeat, a start, a graceful stop. It carries nothing: a page that shows
/// nodes reads them again (at most once a second). Other nodes' beats arrive through their notices on PostgreSQL.
/// </summary>
public sealed class NodeEvents
{
    /// <summary>Someone should read the nodes again.</summary>
    public event Action? Changed;

    /// <summary>Raised for this node's own beats only (the relay to other nodes listens).</summary>
    public event Action? ChangedHere;

    /// <summary>This node wrote its row (after commit).</summary>
    public void BeatHere()
    {
        Changed?.Invoke();
        ChangedHere?.Invoke();
    }

    /// <summary>Another node wrote its row.</summary>
    public void ChangedOnOtherNode() => Changed?.Invoke();
}
