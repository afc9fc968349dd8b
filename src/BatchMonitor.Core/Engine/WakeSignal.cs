using System.Threading.Channels;

namespace BatchMonitor.Core.Engine;

/// <summary>
/// "Look again now": a loop waits on it until woken or until a time on its clock; wake-ups while nobody waits
/// are kept (one is enough), so none is lost.
/// </summary>
public class WakeSignal
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Waits for a wake-up, or until <paramref name="until"/> on <paramref name="time"/>.</summary>
    public async Task WaitAsync(DateTime? until, TimeProvider time, CancellationToken cancellationToken)
    {
        using var due = until is { } at
            ? new CancellationTokenSource(TimerDelay.Until(at, time), time)
            : new CancellationTokenSource();
        if (TimerDelay.Passed(until, time)) return;
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
