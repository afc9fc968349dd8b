using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Services;

/// <summary>"Run the rest": a new batch of a cancelled or timed-out batch's unfinished items; refused for other batches and for viewers.</summary>
public sealed class RunTheRestTests
{
    [Fact]
    public async Task The_rest_of_a_cancelled_batch_is_its_unfinished_items_in_order_as_a_new_queued_batch()
    {
        await using var h = await EngineHarness.CreateAsync(start: false);
        var batch = await h.CreateAsync(5, item: i => new ItemInput($"k{i}", i % 2 == 0 ? "even" : null));
        await using var db = await h.Database.OpenAsync();
        // Items 0 and 3 finished before the cancel; the other three were still pending.
        foreach (var (index, status) in new[] { (0, "succeeded"), (3, "failed") })
        {
            await using var finish = db.CreateCommand();
            finish.CommandText = $"UPDATE batch_items SET status = '{status}' WHERE item_index = {index}";
            await finish.ExecuteNonQueryAsync();
        }
        Assert.True((await h.Batches.CancelAsync(batch.Id, Actor.Admin("admin@test"))).IsOk);

        var rest = await h.Batches.RunTheRestAsync(batch.Id, Actor.Admin("admin@test"));

        var created = Assert.IsType<Core.Views.BatchView>(rest!.Batch);
        Assert.Equal((BatchStatus.Queued, 3, $"{batch.Name} (the rest)"), (created.Status, created.Total, created.Name));
        var items = await h.ItemsAsync(created.Id);
        Assert.Equal(["k1", "k2", "k4"], items.Select(i => i.Key));
        Assert.Equal([null, "even", "even"], items.Select(i => i.Group));
        Assert.All(items, i => Assert.Equal(ItemStatus.Pending, i.Status));
        await h.AssertCountersMatchItemsAsync(created.Id);
    }

    [Fact]
    public async Task A_batch_that_was_not_stopped_has_no_rest_and_a_viewer_may_not_ask()
    {
        await using var h = await EngineHarness.CreateAsync(start: false);
        var batch = await h.CreateAsync(2);

        Assert.Equal(BatchService.NoRest, (await h.Batches.RunTheRestAsync(batch.Id, Actor.Admin("admin@test")))!.Conflict);
        Assert.True((await h.Batches.CancelAsync(batch.Id, Actor.Admin("admin@test"))).IsOk);
        Assert.True((await h.Batches.RunTheRestAsync(batch.Id, Actor.Viewer("viewer@test")))!.IsForbidden);
        Assert.Null(await h.Batches.RunTheRestAsync(Guid.NewGuid(), Actor.Admin("admin@test")));
        Assert.Single((await h.Batches.ListAsync(new BatchListQuery())).Items);
    }
}
