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
        (ItemStatus.Running, ItemStatus.Cancelled), (ItemStatus.Failed, ItemStatus.Pending), (ItemStatus.Cancelled, ItemStatus.Pending),
    ];

    public static TheoryData<BatchStatus, BatchStatus> AllBatchPairs() => AllPairs<BatchStatus>();

    public static TheoryData<ItemStatus, ItemStatus> AllItemPairs() => AllPairs<ItemStatus>();

    [Theory]
    [MemberData(nameof(AllBatchPairs))]
    public void A_batch_moves_only_along_the_documented_pairs(BatchStatus from, BatchStatus to) =>
        AssertOnlyLegalMoves(BatchMoves.Contains((from, to)), Lifecycle.CanMove(from, to), () => Lifecycle.EnsureCanMove(from, to),
            from.Name(), to.Name());

    [Theory]
    [MemberData(nameof(AllItemPairs))]
    public void An_item_moves_only_along_the_documented_pairs(ItemStatus from, ItemStatus to) =>
        AssertOnlyLegalMoves(ItemMoves.Contains((from, to)), Lifecycle.CanMove(from, to), () => Lifecycle.EnsureCanMove(from, to),
            from.Name(), to.Name());

    private static TheoryData<T, T> AllPairs<T>() where T : struct, Enum
    {
        var data = new TheoryData<T, T>();
        foreach (var from in Enum.GetValues<T>())
        foreach (var to in Enum.GetValues<T>())
            data.Add(from, to);
        return data;
    }

    /// <summary>A documented move is allowed and goes through; any other is refused with both states named.</summary>
    private static void AssertOnlyLegalMoves(bool legal, bool canMove, Action ensure, string from, string to)
    {
        Assert.Equal(legal, canMove);
        if (legal)
        {
            ensure();
            return;
        }
        var e = Assert.Throws<IllegalTransitionException>(ensure);
        Assert.Contains(from, e.Message);
        Assert.Contains(to, e.Message);
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
