using System.Text.Json.Nodes;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Events;

public sealed class BatchEventsTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly Guid _id = Guid.NewGuid();

    [Fact]
    public void A_burst_of_1000_changes_in_one_window_reaches_a_subscriber_as_two_deliveries()
    {
        var events = new BatchEvents(_time);
        var deliveries = new List<BatchChange>();
        using var _ = events.Subscribe(_id, c => { deliveries.Add(c); return Task.CompletedTask; });

        for (var i = 0; i < 1000; i++) events.Publish(Change(BatchStatus.Running, succeeded: i, item: i % 50));
        Assert.Single(deliveries); // the first goes out at once
        _time.Advance(100);

        Assert.Equal(2, deliveries.Count);
        var last = deliveries[1];
        Assert.Equal(999, last.Batch!.Succeeded);
        Assert.Equal(50, last.Items.Count); // the newest state of each item, once
        Assert.Equal(Enumerable.Range(0, 50), last.Items.Select(i => i.Index));
        Assert.Equal(999, last.Items.Single(i => i.Index == 49).Attempts);
    }

    [Fact]
    public void A_moving_finished_count_goes_out_at_once_after_progress_only_deliveries()
    {
        var events = new BatchEvents(_time);
        var deliveries = new List<BatchChange>();
        using var _ = events.Subscribe(_id, c => { deliveries.Add(c); return Task.CompletedTask; });

        events.Publish(Change(BatchStatus.Running, succeeded: 1, item: 0)); // first: at once
        _time.Advance(100);
        events.Publish(Change(BatchStatus.Running, succeeded: 1, item: 1)); // progress only: at once (quiet window)
        _time.Advance(10);
        events.Publish(Change(BatchStatus.Running, succeeded: 1, item: 2)); // progress only: held back
        _time.Advance(10);
        events.Publish(Change(BatchStatus.Running, succeeded: 2, item: 3)); // the count moves: at once

        Assert.Equal(3, deliveries.Count);
        Assert.Equal(2, deliveries[2].Batch!.Succeeded);
        Assert.Equal([2, 3], deliveries[2].Items.Select(i => i.Index));
        Assert.True(deliveries[2].CountsMoved);
        Assert.False(deliveries[1].CountsMoved);
    }

    [Fact]
    public void A_steady_stream_of_finished_items_still_makes_one_delivery_per_window()
    {
        var events = new BatchEvents(_time);
        var deliveries = new List<BatchChange>();
        using var _ = events.Subscribe(_id, c => { deliveries.Add(c); return Task.CompletedTask; });

        for (var i = 1; i <= 1000; i++)
        {
            events.Publish(Change(BatchStatus.Running, succeeded: i));
            _time.Advance(1); // a finished item every millisecond for a second
        }

        Assert.InRange(deliveries.Count, 10, 12);
        Assert.All(deliveries, d => Assert.True(d.CountsMoved));
    }

    [Fact]
    public void A_status_change_goes_out_at_once_with_everything_pending()
    {
        var events = new BatchEvents(_time);
        var deliveries = new List<BatchChange>();
        using var _ = events.SubscribeAll(c => { deliveries.Add(c); return Task.CompletedTask; });

        events.Publish(Change(BatchStatus.Running, 1));
        events.Publish(Change(BatchStatus.Running, 2, log: "two"));
        events.Publish(Change(BatchStatus.Completed, 3, log: "three"));

        Assert.Equal(2, deliveries.Count);
        Assert.Equal(BatchStatus.Completed, deliveries[1].Batch!.Status);
        Assert.Equal(["two", "three"], deliveries[1].Logs.Select(l => l.Message));
    }

    [Fact]
    public void A_batch_subscriber_hears_only_its_batch_and_disposing_stops_delivery()
    {
        var events = new BatchEvents(_time);
        var mine = 0;
        var all = 0;
        var subscription = events.Subscribe(_id, _ => { mine++; return Task.CompletedTask; });
        using var everything = events.SubscribeAll(_ => { all++; return Task.CompletedTask; });
        Assert.Equal(2, events.SubscriberCount);

        events.Publish(Change(BatchStatus.Running, 1));
        events.Publish(new BatchChange(Guid.NewGuid(), null, [], []) { Deleted = true });
        subscription.Dispose();
        subscription.Dispose();
        _time.Advance(200);
        events.Publish(Change(BatchStatus.Running, 2));

        Assert.Equal(1, mine);
        Assert.Equal(3, all);
        Assert.Equal(1, events.SubscriberCount);
    }

    [Fact]
    public void A_failing_subscriber_does_not_stop_the_others()
    {
        var events = new BatchEvents(_time);
        var reached = 0;
        using var bad = events.SubscribeAll(_ => throw new InvalidOperationException("broken page"));
        using var faulted = events.SubscribeAll(_ => Task.FromException(new InvalidOperationException("async too")));
        using var good = events.SubscribeAll(_ => { reached++; return Task.CompletedTask; });

        events.Publish(Change(BatchStatus.Running, 1));

        Assert.Equal(1, reached);
    }

    private BatchChange Change(BatchStatus status, int succeeded, int? item = null, string? log = null) =>
        new(_id,
            new BatchView
            {
                Id = _id, Name = "b", Handler = "demo", Status = status, Succeeded = succeeded, Total = 1000,
                Options = BatchOptions.Defaults, Args = new JsonObject(),
            },
            item is { } index ? [new ItemView { Index = index, Key = $"k{index}", Attempts = succeeded }] : [],
            log is null ? [] : [new LogLineView(succeeded, _time.UtcNow, "info", null, log)]);
}
