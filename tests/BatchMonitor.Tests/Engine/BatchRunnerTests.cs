using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Engine;

public sealed class BatchRunnerTests
{
    [Fact]
    public async Task A_batch_of_quick_items_completes_with_every_item_succeeded()
    {
        await using var h = await EngineHarness.CreateAsync();
        var batch = await h.CreateAsync(20);

        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        Assert.Equal(20, done.Succeeded);
        Assert.Equal(1.0, done.Progress);
        Assert.NotNull(done.FinishedAt);
        await h.AssertCountersMatchItemsAsync(batch.Id);
        Assert.Equal(20, h.Handler.Calls.Count);
    }
}
