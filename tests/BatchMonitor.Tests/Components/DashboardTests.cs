using BatchMonitor.Core.Access;
using BatchMonitor.Core.Engine;
using BatchMonitor.Web.Components.Live;
using BatchMonitor.Web.Components.Pages;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components;

public sealed class DashboardTests
{
    [Fact]
    public async Task A_batch_started_elsewhere_appears_among_the_active_batches_and_in_the_counts()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var before = h.Events.SubscriberCount;
        var page = h.Context.Render<Dashboard>();
        await h.UntilSubscribedAsync(before);
        page.WaitForAssertion(() => Assert.Contains("Nothing is running.", page.Markup));

        var batch = await h.CreateBatchAsync(20);

        await page.WaitForAssertionAsync(() =>
        {
            Assert.Equal("1", page.Find("[data-status-count=queued]").TextContent);
            Assert.Equal("0", page.Find($"[role=progressbar][data-batch-id='{batch.Id}']").GetAttribute("aria-valuenow"));
        });

        await h.Engine.Services.GetRequiredService<BatchTransitions>().StartAsync(batch.Id);
        h.Time.Advance(LiveComponentBase.ReloadInterval);

        await page.WaitForAssertionAsync(() =>
        {
            Assert.Equal("1", page.Find("[data-status-count=running]").TextContent);
            Assert.Equal("0", page.Find("[data-status-count=queued]").TextContent);
            Assert.Equal("running", page.Find($"[data-batch-row='{batch.Id}'] [data-status]").GetAttribute("data-status"));
        });

        var running = await h.Engine.GetAsync(batch.Id);
        h.Push(ComponentHarness.Running(running, succeeded: 7, failed: 1));
        h.Time.Advance(LiveComponentBase.RenderInterval);

        await page.WaitForAssertionAsync(() =>
            Assert.Equal("8", page.Find($"[role=progressbar][data-batch-id='{batch.Id}']").GetAttribute("aria-valuenow")));
    }

    [Fact]
    public async Task A_finished_batch_leaves_the_active_list()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(2);
        var before = h.Events.SubscriberCount;
        var page = h.Context.Render<Dashboard>();
        await h.UntilSubscribedAsync(before);
        page.WaitForAssertion(() => Assert.Single(page.FindAll($"[data-batch-row='{batch.Id}']")));

        await h.Engine.Batches.CancelAsync(batch.Id, Actor.Admin("admin@example.com"));

        await page.WaitForAssertionAsync(() =>
        {
            Assert.Empty(page.FindAll($"[data-batch-row='{batch.Id}']"));
            Assert.Equal("1", page.Find("[data-status-count=cancelled]").TextContent);
        });
    }
}
