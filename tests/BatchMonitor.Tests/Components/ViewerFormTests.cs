using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Components.Schedules;
using BatchMonitor.Tests.Scheduling;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Components.Batches;
using BatchMonitor.Web.Components.Pages;
using BatchMonitor.Web.Components.Pages.Schedules;
using BatchMonitor.Web.Components.Ui;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components;

/// <summary>
/// A viewer who gets a form or a button anyway (a console's <c>requestSubmit()</c>, a role taken away while the page
/// was open) changes nothing: the services refuse the acting user, and the page says so.
/// </summary>
public sealed class ViewerFormTests
{
    [Fact]
    public async Task A_viewer_who_submits_the_new_batch_form_starts_nothing_and_is_told_why()
    {
        await using var h = await ComponentHarness.CreateAsync();
        AsViewer(h);
        var page = h.Context.Render<NewBatch>();

        page.Find("#name").Input("viewer's batch");
        page.Find("#items").Input("alice\nbob");
        await page.Find("form").SubmitAsync();

        await page.WaitForAssertionAsync(() => Assert.Contains("Only an admin can change this", page.Find("[role=alert]").TextContent));
        Assert.Equal(0, (await h.Engine.Batches.ListAsync(new BatchListQuery())).Total);
    }

    [Fact]
    public async Task A_viewer_who_submits_the_new_schedule_form_saves_nothing_and_is_told_why()
    {
        await using var h = await ComponentHarness.CreateAsync();
        AsViewer(h);
        var page = h.Context.Render<ScheduleEditor>();
        page.WaitUntilReady();

        page.Find("#schedule-name").Input("viewer's schedule");
        await page.FindButton("every minute").ClickAsync();
        page.Find("#items").Input("alice\nbob");
        await page.Find("form").SubmitAsync();

        await page.WaitForAssertionAsync(() => Assert.Contains("Only an admin can change this", page.Find("[role=alert]").TextContent));
        Assert.Empty(await h.Engine.Schedules().ListAsync());
    }

    [Fact]
    public async Task A_viewer_who_submits_a_schedule_edit_changes_nothing()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var created = await h.Engine.CreateScheduleAsync(ScheduleHarness.EveryMinute() with { Name = "ranking" });
        AsViewer(h);
        var page = h.Context.Render<ScheduleEditor>(p => p.Add(x => x.Id, created.Id));
        page.WaitUntilReady();

        page.Find("#schedule-name").Input("taken over");
        await page.Find("form").SubmitAsync();

        await page.WaitForAssertionAsync(() => Assert.Contains("Only an admin can change this", page.Find("[role=alert]").TextContent));
        Assert.Equal("ranking", (await h.Engine.Schedules().GetAsync(created.Id))!.Name);
    }

    [Theory]
    [InlineData("Pause", null)]
    [InlineData("Cancel", "Cancel batch")]
    public async Task An_admin_demoted_while_the_batch_page_is_open_steers_nothing(string button, string? confirm)
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = ComponentHarness.Running(await h.CreateBatchAsync(), succeeded: 2);
        var actions = h.Context.Render<BatchActions>(p => p.Add(x => x.Batch, batch));
        AsViewer(h);

        if (confirm is null) await actions.FindButton(button).ClickAsync();
        else
        {
            actions.FindButton(button).Click(); // the handler waits for the answer to its dialog
            actions.WaitForAssertion(() => Assert.Single(h.Overlays.FindAll("[role=dialog]")));
            await h.Overlays.FindButton(confirm).ClickAsync();
        }

        await h.Overlays.WaitForAssertionAsync(() => Assert.Contains("Only an admin can change this", h.Overlays.Find(".bm-note").TextContent));
        Assert.Equal(BatchStatus.Queued, (await h.Engine.GetAsync(batch.Id)).Status);
        Assert.Equal(1, (await h.Engine.Batches.ListAsync(new BatchListQuery())).Total);
    }

    [Fact]
    public async Task An_admin_demoted_while_the_batch_page_is_open_deletes_nothing()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync() with { Status = BatchStatus.Completed };
        var actions = h.Context.Render<BatchActions>(p => p.Add(x => x.Batch, batch));
        AsViewer(h);

        actions.FindButton("Delete").Click(); // the handler waits for the answer to its dialog
        actions.WaitForAssertion(() => Assert.Single(h.Overlays.FindAll("[role=dialog]")));
        await h.Overlays.FindButton("Delete batch").ClickAsync();

        await h.Overlays.WaitForAssertionAsync(() => Assert.Contains("Only an admin can change this", h.Overlays.Find(".bm-note").TextContent));
        Assert.NotNull(await h.Engine.Batches.GetAsync(batch.Id));
    }

    private static void AsViewer(ComponentHarness h)
    {
        var user = h.Context.Services.GetRequiredService<TestUser>();
        user.Name = "viewer@example.com";
        user.Role = Roles.Viewer;
    }
}
