using BatchMonitor.Core.Domain;

namespace BatchMonitor.Core.Engine;

/// <summary>
/// How the rest of the application nudges the engine: "look for work" (a batch was created, resumed or
/// requeued) and "this batch changed status" (pause, cancel, timeout), so its runner reacts at once.
/// </summary>
public sealed class EngineSignals : WakeSignal
{
    internal event Action<Guid, BatchStatus>? StatusChanged;

    public void BatchStatusChanged(Guid batchId, BatchStatus status)
    {
        StatusChanged?.Invoke(batchId, status);
        Wake();
    }
}
