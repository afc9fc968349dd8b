using BatchMonitor.Core.Domain;

namespace BatchMonitor.Tests.Domain;

public sealed class LifecycleTests
{
    private static readonly HashSet<(BatchStatus, BatchStatus)> BatchMoves =
    [
        (BatchStatus.Queued, BatchStatus.Running), (BatchStatus.Queued, BatchStatus.Cancelled), (BatchStatus.Queued, BatchStatus.Failed),
        (BatchStatus.Running, BatchStatus.Paused), (BatchStatus.Running, BatchStatus.Completed), (BatchStatus.Running, BatchStatus.Failed),
        (BatchStatus.Running, BatchStatus.Cancelled), (BatchStatus.Running, BatchStatus.TimedOut),
        (BatchStatus.Paused, BatchStatus.Running), (BatchStatus.Paused, BatchStatus.Cancelled), (BatchStatus.Paused, BatchStatus.TimedOut),
        (BatchStatus.Completed, BatchStatus.Queued), (BatchStatus.Failed, BatchStatus.Queued),
        (BatchStatus.Cancelled, BatchStatus.Queued), (BatchStatus.TimedOut, BatchStatus.Queued),
    ];

    private static readonly HashSet<(ItemStatus, ItemStatus)> ItemMoves =
    [
        (ItemStatus.Pending, ItemStatus.Running), (ItemStatus.Pending, ItemStatus.Cancelled), (ItemStatus.Pending, ItemStatus.Skipped),
        (ItemStatus.Running, ItemStatus.Succeeded), (ItemStatus.Running, ItemStatus.Failed), (ItemStatus.Running, ItemStatus.Pending),
        (ItemStatus.Running, ItemStatus.Cancelled), (ItemStatus.Failed, ItemStatus.Pending),
    ];

    public static TheoryData<BatchStatus, BatchStatus> AllBatchPairs()
    {
        var data = new TheoryData<BatchStatus, BatchStatus>();
        foreach (var from in Enum.GetValues<BatchStatus>())
        foreach (var to in Enum.GetValues<BatchStatus>())
            data.Add(from, to);
        return data;
    }

    public static TheoryData<ItemStatus, ItemStatus> AllItemPairs()
    {
        var data = new TheoryData<ItemStatus, ItemStatus>();
        foreach (var from in Enum.GetValues<ItemStatus>())
        foreach (var to in Enum.GetValues<ItemStatus>())
            data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllBatchPairs))]
    public void A_batch_moves_only_along_the_documented_pairs(BatchStatus from, BatchStatus to)
    {
        var legal = BatchMoves.Contains((from, to));
        Assert.Equal(legal, Lifecycle.CanMove(from, to));
        if (legal)
        {
            Lifecycle.EnsureCanMove(from, to);
        }
        else
        {
            var e = Assert.Throws<IllegalTransitionException>(() => Lifecycle.EnsureCanMove(from, to));
            Assert.Contains(from.Name(), e.Message);
            Assert.Contains(to.Name(), e.Message);
        }
    }

    [Theory]
    [MemberData(nameof(AllItemPairs))]
    public void An_item_moves_only_along_the_documented_pairs(ItemStatus from, ItemStatus to)
    {
        var legal = ItemMoves.Contains((from, to));
        Assert.Equal(legal, Lifecycle.CanMove(from, to));
        if (legal)
        {
            Lifecycle.EnsureCanMove(from, to);
        }
        else
        {
            var e = Assert.Throws<IllegalTransitionException>(() => Lifecycle.EnsureCanMove(from, to));
            Assert.Contains(from.Name(), e.Message);
            Assert.Contains(to.Name(), e.Message);
        }
    }

    [Fact]
    public void Status_words_are_the_snake_case_words_of_the_api()
    {
        Assert.Equal(["queued", "running", "paused", "completed", "failed", "cancelled", "timed_out"],
            Enum.GetValues<BatchStatus>().Select(s => s.Name()));
        Assert.Equal(["pending", "running", "succeeded", "failed", "skipped", "cancelled"],
            Enum.GetValues<ItemStatus>().Select(s => s.Name()));
        Assert.True(StatusNames.TryParseBatch("timed_out", out var status));
        Assert.Equal(BatchStatus.TimedOut, status);
        Assert.False(StatusNames.TryParseBatch("TimedOut", out _));
    }
}
