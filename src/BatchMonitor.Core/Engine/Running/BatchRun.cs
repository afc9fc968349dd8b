using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine.Writing;
using BatchMonitor.Core.Handlers;

namespace BatchMonitor.Core.Engine.Running;

/// <summary>What every item of one running batch shares: its handler, args, options and stop signal.</summary>
internal sealed class BatchRun(Batch batch, IBatchHandler handler, HandlerArgs args)
{
    private readonly CancellationTokenSource _interrupt = new();
    private readonly CancellationTokenSource _halt = new();
    private int _reason = -1;

    public Guid BatchId { get; } = batch.Id;

    public IBatchHandler Handler { get; } = handler;

    public HandlerArgs Args { get; } = args;

    public BatchOptions Options { get; } = batch.Options;

    /// <summary>Who the writer records this batch's outcomes for.</summary>
    public ItemOwner Owner { get; } = new(batch.Handler, batch.DatasetId, batch.Options.PublishResults == PublishPolicy.Each);

    /// <summary>Fires when running items must stop (cancel, timeout, failure, shutdown); not on pause.</summary>
    public CancellationToken Interrupted => _interrupt.Token;

    /// <summary>Set by the first item whose handler threw <see cref="BatchFatalException"/>.</summary>
    public string? FatalError { get; set; }

    /// <summary>Fires on any stop, pause included: ends the pause between items.</summary>
    public CancellationToken Halted => _halt.Token;

    public StopReason? Reason => _reason < 0 ? null : (StopReason)Volatile.Read(ref _reason);

    /// <summary>Records why the batch stops. A pause can become a harder stop; a harder stop stays.</summary>
    public bool Stop(StopReason reason)
    {
        while (true)
        {
            var current = Volatile.Read(ref _reason);
            if (current >= 0 && (StopReason)current != StopReason.Pause) return false;
            if (current >= 0 && reason == StopReason.Pause) return false;
            if (Interlocked.CompareExchange(ref _reason, (int)reason, current) != current) continue;
            _halt.Cancel();
            if (reason.InterruptsItems()) _interrupt.Cancel();
            return true;
        }
    }
}
