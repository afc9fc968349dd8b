using System.Diagnostics;
using System.Diagnostics.Metrics;
using BatchMonitor.Core.Domain;

namespace BatchMonitor.Core.Telemetry;

/// <summary>
/// The engine's meters and traces, named <see cref="Name"/> (System.Diagnostics only; the web app exports them with
/// OpenTelemetry at <c>/metrics</c>). Items finished are counted by the writer after its commit, so a count is never of
/// a change that rolled back; claim latency is measured from the runner's request to the committed answer.
/// </summary>
public sealed class EngineMetrics : IDisposable
{
    public const string Name = "BatchMonitor";

    /// <summary>One activity per item run, created only when a listener samples it.</summary>
    public static readonly ActivitySource Traces = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _finished;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _claim;

    /// <param name="meters">The container's meter factory (null: a meter of its own, as in a bare service collection).</param>
    public EngineMetrics(IMeterFactory? meters, BatchCountsGauge counts)
    {
        _meter = meters?.Create(Name) ?? new Meter(Name);
        _finished = _meter.CreateCounter<long>("batchmonitor_items_finished", "{item}",
            "Items that reached a final state, by handler and outcome (succeeded, failed, cancelled, skipped).");
        _duration = _meter.CreateHistogram<double>("batchmonitor_item_duration", "s", "How long an item's last attempt ran, by handler.");
        _claim = _meter.CreateHistogram<double>("batchmonitor_claim_duration", "s",
            "From a runner asking for items to the committed answer of the engine's writer.");
        _meter.CreateObservableGauge("batchmonitor_batches_queued", () => counts.Read().Queued, "{batch}", "Batches waiting to start.");
        _meter.CreateObservableGauge("batchmonitor_batches_running", () => counts.Read().Running, "{batch}", "Batches running now.");
    }

    /// <summary>This container's meter: a listener tells its instruments from another app's in the same process by it.</summary>
    public Meter Meter => _meter;

    /// <summary>Counts <paramref name="count"/> items of one handler that reached <paramref name="outcome"/>.</summary>
    public void Finished(string handler, ItemStatus outcome, long count = 1)
    {
        if (count <= 0 || !outcome.IsFinished()) return;
        _finished.Add(count, new KeyValuePair<string, object?>("handler", handler), new KeyValuePair<string, object?>("outcome", outcome.Name()));
    }

    public void Duration(string handler, TimeSpan duration) =>
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("handler", handler));

    public void Claimed(TimeSpan latency) => _claim.Record(latency.TotalSeconds);

    public void Dispose() => _meter.Dispose();
}
