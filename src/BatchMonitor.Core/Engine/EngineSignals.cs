using System.Threading.Channels;
using BatchMonitor.Core.Domain;

namespace BatchMonitor.Core.Engine;

/// <summary>
/// How the rest of the application nudges the engine: "look for work" (a batch was created, resumed or
/// requeued) and "this batch changed status" (pause, cancel, timeout), so its runner reacts at once.
/// </summary>
public sealed class EngineSignals
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    internal event Action<Guid, BatchStatus>? StatusChanged;

    public void Wake() => _wake.Writer.TryWrite(true);

    public void BatchStatusChanged(Guid batchId, BatchStatus status)
    {
        StatusChanged?.Invoke(batchId, status);
        Wake();
    }

    /// <summary>Waits for a wake-up, or until <paramref name="until"/> on the engine's clock.</summary>
    internal async Task WaitAsync(DateTime? until, TimeProvider time, CancellationToken cancellationToken)
    {
        using var due = until is { } at
            ? new CancellationTokenSource(at - time.GetUtcNow().UtcDateTime is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero, time)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(due.Token, cancellationToken);
        try
        {
            await _wake.Reader.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}
