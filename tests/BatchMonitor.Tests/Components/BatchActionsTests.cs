using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using BatchMonitor.Core.Domain;
using BatchMonitor.Web.Components.Batches;
using Bunit;

namespace BatchMonitor.Tests.Components;

public sealed class BatchActionsTests
{
    // What each state allows, written out (not derived from the code under test).
    [Theory]
    //                            pause  resume cancel retry  priority delete
    [InlineData(BatchStatus.Queued, false, false, true, false, true, false)]
    [InlineData(BatchStatus.Running, true, false, true, false, true, false)]
    [InlineData(BatchStatus.Paused, false, true, true, false, true, false)]
    [InlineData(BatchStatus.Completed, false, false, false, false, false, true)]
    [InlineData(BatchStatus.Failed, false, false, false, false, false, true)]
    [InlineData(BatchStatus.Cancelled, false, false, false, false, false, true)]
    [InlineData(BatchStatus.TimedOut, false, false, false, false, false, true)]
    public async Task Buttons_are_enabled_only_in_the_states_that_allow_them(BatchStatus status,
        bool pause, bool resume, bool cancel, bool retry, bool priority, bool delete)
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync() with { Status = status };

        var actions = h.Context.Render<BatchActions>(p => p.Add(x => x.Batch, batch));

        Assert.Equal(pause, !actions.FindButton("Pause").IsDisabled());
        Assert.Equal(resume, !actions.FindButton("Resume").IsDisabled());
        Assert.Equal(cancel, !actions.FindButton("Cancel").IsDisabled());
        Assert.Equal(retry, !actions.FindButton("Retry failed").IsDisabled());
        Assert.Equal(priority, !actions.Find("#bm-priority").IsDisabled());
        Assert.Equal(delete, !actions.FindButton("Delete").IsDisabled());
        // Clone opens New batch filled in from this batch (a link, so it can open in another tab too).
        Assert.Equal($"batches/new?from={batch.Id}", actions.Find("a.bm-clone, a[href^='batches/new?from=']").GetAttribute("href"));
        Assert.Equal($"api/v1/batches/{batch.Id}/results?format=csv", actions.Find("a[download]").GetAttribute("href"));
    }

    [Fact]
    public async Task A_viewer_sees_the_exports_but_no_control_that_changes_the_batch()
    {
        await using var h = await ComponentHarness.CreateAsync();
        h.Context.Services.GetRequiredService<TestUser>().Role = BatchMonitor.Web.Auth.Roles.Viewer;
        var batch = await h.CreateBatchAsync() with { Status = BatchStatus.Running };

        var actions = h.Context.Render<BatchActions>(p => p.Add(x => x.Batch, batch));

        Assert.DoesNotContain(actions.FindAll("button, a"), b => b.TextContent.Trim() is "Pause" or "Cancel" or "Clone" or "Delete" or "Retry failed");
        Assert.Empty(actions.FindAll("#bm-priority"));
        // Not an empty space where the buttons were: a line says who steers.
        Assert.Contains("an admin can pause, cancel", actions.Find("[data-testid=viewer-note]").TextContent);
        Assert.Equal($"api/v1/batches/{batch.Id}/results?format=csv", actions.Find("a[download]").GetAttribute("href"));
    }

    [Theory]
    [InlineData(BatchStatus.Running)]
    [InlineData(BatchStatus.Paused)]
    [InlineData(BatchStatus.Completed)]
    [InlineData(BatchStatus.Cancelled)]
    public async Task Retry_failed_is_enabled_whenever_some_items_failed(BatchStatus status)
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync() with { Status = status, Failed = 2 };

        var actions = h.Context.Render<BatchActions>(p => p.Add(x => x.Batch, batch));

        Assert.False(actions.FindButton("Retry failed").IsDisabled());
    }

    [Fact]
    public async Task Pause_asks_the_service_and_the_batch_becomes_paused()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var created = await h.CreateBatchAsync();
        await h.Engine.Services.GetRequiredService<Core.Engine.BatchTransitions>().StartAsync(created.Id);
        var running = await h.Engine.GetAsync(created.Id);
        var actions = h.Context.Render<BatchActions>(p => p.Add(x => x.Batch, running));

        await actions.FindButton("Pause").ClickAsync();

        Assert.Equal(BatchStatus.Paused, (await h.Engine.GetAsync(created.Id)).Status);
    }

    [Fact]
    public async Task One_click_on_Set_priority_sets_the_typed_priority()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync();
        var actions = h.Context.Render<BatchActions>(p => p.Add(x => x.Batch, batch));

        // Typing is enough for the button to know the value (before, the first click only committed the field).
        actions.Find("#bm-priority").Input("7");
        actions.WaitForAssertion(() => Assert.False(actions.FindButton("Set priority").IsDisabled()));
        await actions.FindButton("Set priority").ClickAsync();

        await Wait.UntilAsync(async () => (await h.Engine.GetAsync(batch.Id)).Priority == 7, "the priority to be 7 after one click");
    }

    [Fact]
    public async Task Cancel_asks_first_and_does_nothing_when_the_answer_is_no()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync();
        var actions = h.Context.Render<BatchActions>(p => p.Add(x => x.Batch, batch));

        actions.FindButton("Cancel").Click();
        actions.WaitForAssertion(() => Assert.Equal("Cancel this batch?", h.Overlays.Find("[role=dialog] h2").TextContent.Trim()));
        h.Overlays.FindButton("Keep running").Click();

        actions.WaitForAssertion(() => Assert.Empty(h.Overlays.FindAll("[role=dialog]")));
        Assert.Equal(BatchStatus.Queued, (await h.Engine.GetAsync(batch.Id)).Status);

        actions.FindButton("Cancel").Click();
        actions.WaitForAssertion(() => Assert.Single(h.Overlays.FindAll("[role=dialog]")));
        await h.Overlays.FindButton("Cancel batch").ClickAsync();

        await Wait.UntilAsync(async () => (await h.Engine.GetAsync(batch.Id)).Status == BatchStatus.Cancelled, "the batch to be cancelled");
    }
}

/// <summary>"Run the rest" on a cancelled batch: shown only where there is a rest, and a click makes and opens the new batch.</summary>
public sealed class RunTheRestButtonTests
{
    [Fact]
    public async Task A_cancelled_batch_offers_its_cancelled_items_and_a_click_runs_them_as_a_new_batch_and_opens_it()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var created = await h.CreateBatchAsync(items: 6);
        var service = h.Engine.Services.GetRequiredService<Core.Services.BatchService>();
        Assert.True((await service.CancelAsync(created.Id, Core.Access.Actor.Admin("test"))).IsOk);
        var cancelled = await h.Engine.GetAsync(created.Id);
        Assert.Equal((BatchStatus.Cancelled, 6), (cancelled.Status, cancelled.Cancelled));
        var nav = h.Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();

        var actions = h.Context.Render<BatchActions>(p => p.Add(x => x.Batch, cancelled));
        var button = actions.Find("[data-testid=run-rest]");
        Assert.Equal("Run the rest (6)", button.TextContent.Trim());
        await button.ClickAsync(new());

        await Wait.UntilAsync(() => nav.Uri.Contains("/batches/", StringComparison.Ordinal) && !nav.Uri.EndsWith(created.Id.ToString(), StringComparison.Ordinal),
            "the new batch's page to open");
        var rest = await h.Engine.GetAsync(Guid.Parse(nav.Uri[(nav.Uri.LastIndexOf('/') + 1)..]));
        Assert.Equal(6, rest.Total);
        Assert.NotEqual(created.Id, rest.Id);
        Assert.Equal(BatchStatus.Cancelled, (await h.Engine.GetAsync(created.Id)).Status);
    }

    [Theory]
    [InlineData(BatchStatus.Completed, 2)]
    [InlineData(BatchStatus.Running, 3)]
    [InlineData(BatchStatus.Paused, 3)]
    [InlineData(BatchStatus.Cancelled, 0)]
    public async Task There_is_no_rest_to_run_for_a_batch_without_cancelled_items_or_one_still_going(BatchStatus status, int cancelledItems)
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync() with { Status = status, Cancelled = cancelledItems };

        var actions = h.Context.Render<BatchActions>(p => p.Add(x => x.Batch, batch));

        Assert.Empty(actions.FindAll("[data-testid=run-rest]"));
    }
}
