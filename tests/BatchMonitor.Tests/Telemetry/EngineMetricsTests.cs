using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Telemetry;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Telemetry;

/// <summary>
/// The engine's meters: the writer counts each committed finish by handler and outcome (succeeded, failed, skipped,
/// cancelled), records item durations and claim latency; the gauges read queued and running batches; an item run is
/// an activity when someone listens. Read with a <see cref="MeterListener"/> on this harness's own meter.
/// </summary>
public class EngineMetricsTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in EngineMetricsTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task Finished_items_are_counted_by_handler_and_outcome_once_each_after_commit()
    {
        await using var h = await Store.HarnessAsync();
        using var recorded = new Recorded(h.Services.GetRequiredService<EngineMetrics>());
        h.Handler.Behaviour = (item, _) => item.Group == "down"
            ? throw new InvalidOperationException("server is down")
            : Task.FromResult<JsonNode?>(null);
        // a0 b0 a1 b1 …: group "down" fails twice, then its other three items are skipped.
        var batch = await h.CreateAsync(10, new OptionsInput { Concurrency = 1, MaxAttempts = 1, FailGroupAfter = 2 },
            item: i => new ItemInput($"{(i % 2 == 0 ? "a" : "b")}{i / 2}", i % 2 == 0 ? "down" : "up"));

        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        Assert.Equal(5, recorded.Finished(h.Handler.Name, "succeeded"));
        Assert.Equal(2, recorded.Finished(h.Handler.Name, "failed"));
        Assert.Equal(3, recorded.Finished(h.Handler.Name, "skipped"));
        Assert.Equal(0, recorded.Finished(h.Handler.Name, "cancelled"));
        Assert.Equal(["handler"], recorded.DurationTags.Distinct());
        Assert.Equal(7, recorded.Durations); // one per item that ran, none for the skipped ones
        Assert.True(recorded.Claims >= 1);
    }

    [Fact]
    public async Task The_gauges_read_queued_and_running_batches_at_most_once_per_cache_age()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var metrics = h.Services.GetRequiredService<EngineMetrics>();
        using var recorded = new Recorded(metrics);
        await h.CreateAsync(1);
        await h.CreateAsync(1);

        recorded.Observe();
        Assert.Equal((2, 0), (recorded.Gauge("batchmonitor_batches_queued"), recorded.Gauge("batchmonitor_batches_running")));

        await h.CreateAsync(1);
        recorded.Observe();
        Assert.Equal(2, recorded.Gauge("batchmonitor_batches_queued")); // still the cached counts
        h.Time.Advance(BatchCountsGauge.MaxAge);
        recorded.Observe();
        Assert.Equal(3, recorded.Gauge("batchmonitor_batches_queued"));
    }

    [Fact]
    public async Task An_item_run_is_an_activity_with_its_handler_batch_key_and_outcome_when_someone_listens()
    {
        var runs = new ConcurrentQueue<Activity>();
        await using var h = await Store.HarnessAsync();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == EngineMetrics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (Equals(a.GetTagItem("batchmonitor.handler"), h.Handler.Name)) runs.Enqueue(a);
            },
        };
        ActivitySource.AddActivityListener(listener);
        h.Handler.Behaviour = (item, _) => item.Key == "k1"
            ? throw new InvalidOperationException("no")
            : Task.FromResult<JsonNode?>(null);
        var batch = await h.CreateAsync(2, new OptionsInput { Concurrency = 1, MaxAttempts = 1 });

        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        var mine = runs.Where(a => Equals(a.GetTagItem("batchmonitor.batch_id"), batch.Id.ToString()))
            .OrderBy(a => (string)a.GetTagItem("batchmonitor.item_key")!).ToList();
        Assert.Equal(["k0", "k1"], mine.Select(a => (string)a.GetTagItem("batchmonitor.item_key")!));
        Assert.Equal(["succeeded", "failed"], mine.Select(a => (string)a.GetTagItem("batchmonitor.outcome")!));
        Assert.Equal([ActivityStatusCode.Unset, ActivityStatusCode.Error], mine.Select(a => a.Status));
    }

    /// <summary>What this harness's meter recorded (other tests' engines in this process have meters of their own).</summary>
    private sealed class Recorded : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<(string Handler, string Outcome), long> _finished = new();
        private readonly ConcurrentDictionary<string, long> _gauges = new();
        private int _durations;
        private int _claims;

        public Recorded(EngineMetrics metrics)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, metrics.Meter)) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                if (instrument.Name == "batchmonitor_items_finished")
                {
                    var key = ((string)Tag(tags, "handler")!, (string)Tag(tags, "outcome")!);
                    _finished.AddOrUpdate(key, value, (_, v) => v + value);
                }
                else _gauges[instrument.Name] = value;
            });
            _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
            {
                if (instrument.Name == "batchmonitor_item_duration")
                {
                    Interlocked.Increment(ref _durations);
                    foreach (var tag in tags) DurationTags.Enqueue(tag.Key);
                }
                if (instrument.Name == "batchmonitor_claim_duration") Interlocked.Increment(ref _claims);
            });
            _listener.Start();
        }

        public ConcurrentQueue<string> DurationTags { get; } = new();

        public int Durations => Volatile.Read(ref _durations);

        public int Claims => Volatile.Read(ref _claims);

        public long Finished(string handler, string outcome) => _finished.GetValueOrDefault((handler, outcome));

        public long Gauge(string name) => _gauges.GetValueOrDefault(name, -1);

        public void Observe() => _listener.RecordObservableInstruments();

        public void Dispose() => _listener.Dispose();

        private static object? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
        {
            foreach (var tag in tags)
                if (tag.Key == key) return tag.Value;
            return null;
        }
    }
}
