using System.Text.Json.Nodes;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Views;
using BatchMonitor.Web.Hubs;

namespace BatchMonitor.Tests.Web.Hubs;

public sealed class LiveMessagesTests
{
    private static readonly Guid Id = Guid.NewGuid();

    [Fact]
    public void A_delivery_becomes_item_and_log_events_then_the_batch()
    {
        var change = new BatchChange(Id, Batch(BatchStatus.Running), [Item(0), Item(1)], [Line(1)]);

        var names = LiveMessages.From(change).Select(m => m.Name).ToList();

        Assert.Equal(["itemChanged", "itemChanged", "logAppended", "batchChanged"], names);
        Assert.False(LiveMessages.IsFinal(change));
    }

    [Fact]
    public void A_burst_of_item_changes_is_capped_and_tells_clients_to_reread()
    {
        var items = Enumerable.Range(0, 5000).Select(Item).ToList();
        var logs = Enumerable.Range(1, 500).Select(i => Line(i)).ToList();

        var messages = LiveMessages.From(new BatchChange(Id, Batch(BatchStatus.Running), items, logs)).ToList();

        Assert.Equal(1, messages.Count(m => m.Name == "itemsReset"));
        var sent = messages.Where(m => m.Name == "itemChanged").Select(m => ((ItemChangedMessage)m.Payload).Item.Index).ToList();
        Assert.Equal(LiveMessages.MaxItemsPerDelivery, sent.Count);
        Assert.Equal(4999, sent[^1]); // the most recent ones
        var lines = messages.Where(m => m.Name == "logAppended").Select(m => ((LogAppendedMessage)m.Payload).Line.Seq).ToList();
        Assert.Equal(LiveMessages.MaxLogsPerDelivery, lines.Count);
        Assert.Equal(500, lines[^1]);
        Assert.Equal("batchChanged", messages[^1].Name);
    }

    [Fact]
    public void A_deleted_batch_is_one_event_and_the_last()
    {
        var change = new BatchChange(Id, null, [], []) { Deleted = true };
        var message = Assert.Single(LiveMessages.From(change));
        Assert.Equal("batchDeleted", message.Name);
        Assert.True(LiveMessages.IsFinal(change));
        Assert.True(LiveMessages.IsFinal(new BatchChange(Id, Batch(BatchStatus.TimedOut), [], [])));
    }

    private static BatchView Batch(BatchStatus status) => new()
    {
        Id = Id, Name = "b", Handler = "demo", Status = status, Options = BatchOptions.Defaults, Args = new JsonObject(),
    };

    private static ItemView Item(int index) => new() { BatchId = Id, Index = index, Key = $"k{index}", Status = ItemStatus.Succeeded };

    private static LogLineView Line(long seq) => new(seq, DateTime.UtcNow, "info", null, $"line {seq}") { BatchId = Id };
}
