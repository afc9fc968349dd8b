using BatchMonitor.Core.Domain;
using BatchMonitor.Web.Components.Batches;
using Bunit;

namespace BatchMonitor.Tests.Components;

public sealed class BatchSummaryTests
{
    [Theory]
    [InlineData(BatchStatus.Cancelled)]
    [InlineData(BatchStatus.TimedOut)]
    public async Task A_stopped_batch_says_how_far_it_got_and_how_many_items_never_ran(BatchStatus status)
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(300) with
        {
            Status = status, Succeeded = 60, Failed = 12, Cancelled = 228, Pending = 0, Progress = 1.0,
        };

        var summary = h.Context.Render<BatchSummary>(p => p.Add(x => x.Batch, batch));

        Assert.Equal("72 of 300 items done · 228 cancelled", summary.Find("[data-testid=done]").TextContent.Trim());
        Assert.Equal("24%", summary.Find("[data-testid=percent]").TextContent.Trim());
        var bar = summary.Find($"[role=progressbar][data-batch-id='{batch.Id}']");
        Assert.Equal("72", bar.GetAttribute("aria-valuenow"));
        Assert.Equal("300", bar.GetAttribute("aria-valuemax"));
        Assert.DoesNotContain("100%", summary.Markup);
    }

    [Fact]
    public async Task A_running_batch_counts_every_finished_item_as_done()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = ComponentHarness.Running(await h.CreateBatchAsync(10), succeeded: 3, failed: 1, running: 2);

        var summary = h.Context.Render<BatchSummary>(p => p.Add(x => x.Batch, batch));

        Assert.Equal("4 of 10 items done", summary.Find("[data-testid=done]").TextContent.Trim());
        Assert.Equal("40%", summary.Find("[data-testid=percent]").TextContent.Trim());
    }
}
