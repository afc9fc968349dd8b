using BatchMonitor.Core.Access;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Scheduling;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Components.Live;
using BatchMonitor.Web.Components.Pages.Schedules;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components.Schedules;

public sealed class ScheduleDetailsTests
{
    [Fact]
    public async Task A_batch_the_schedule_starts_appears_in_its_history_and_follows_its_batch_live()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var schedule = await h.CreateScheduleAsync(intervalSeconds: 3600);
        var page = await h.RenderTickingAsync<ScheduleDetails>(p => p.Add(x => x.Id, schedule.Id));
        Assert.Contains("No fires yet", page.Markup);

        // Started elsewhere (another tab, the API or the clock): the page is told only by the batch's events.
        var run = await h.Schedules().RunNowAsync(schedule.Id, Actor.Admin("admin@example.com"));
        var batchId = run.Run!.BatchId!.Value;

        await h.UntilShownAsync(page, () =>
        {
            var row = page.RowCell("data-batch-id", batchId);
            Assert.Equal("started", row.GetAttribute("data-outcome"));
            Assert.Equal("true", row.GetAttribute("data-manual"));
            Assert.Equal("queued", page.Find($"[data-run-batch='{batchId}'] [data-status]").GetAttribute("data-status"));
        });
        Assert.Contains("1 started", page.Find("[data-testid=fire-counts]").TextContent);
        Assert.Contains("1 fire:", page.Find("[data-testid=fire-counts]").TextContent);

        // From here on the batch's state arrives in its events, with no read at all.
        var batch = await h.Engine.GetAsync(batchId);
        var commands = h.Commands.Count;
        h.Push(ComponentHarness.Running(batch, succeeded: 1, running: 1));
        h.Time.Advance(LiveComponentBase.RenderInterval);

        await page.WaitForAssertionAsync(() =>
        {
            Assert.Equal("running", page.Find($"[data-run-batch='{batchId}'] [data-status]").GetAttribute("data-status"));
            Assert.Equal("1", page.Find($"[role=progressbar][data-batch-id='{batchId}']").GetAttribute("aria-valuenow"));
            Assert.Equal("1 succeeded", page.Find($"[data-run-batch='{batchId}'] [data-testid=run-counts]").TextContent);
        });
        Assert.Equal(commands, h.Commands.Count);
    }

    [Fact]
    public async Task A_fire_refused_because_the_previous_run_is_active_shows_as_skipped_with_the_reason()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var schedule = await h.CreateScheduleAsync(intervalSeconds: 3600);
        var first = await h.Schedules().RunNowAsync(schedule.Id, Actor.Admin("admin@example.com"));
        var page = await h.RenderTickingAsync<ScheduleDetails>(p => p.Add(x => x.Id, schedule.Id));

        await page.FindButton("Run now").ClickAsync();

        await page.WaitForAssertionAsync(() =>
        {
            var rows = page.FindAll("td[data-run-id]");
            Assert.Equal(2, rows.Count);
            Assert.Equal("skipped", rows[0].GetAttribute("data-outcome"));
            Assert.Contains("Previous run still active", rows[0].ParentElement!.TextContent);
            Assert.Equal(first.Run!.BatchId.ToString(), rows[1].GetAttribute("data-batch-id"));
        });
        Assert.Contains("1 skipped", page.Find("[data-testid=fire-counts]").TextContent);
        Assert.Contains("2 fires:", page.Find("[data-testid=fire-counts]").TextContent);
    }

    [Fact]
    public async Task The_success_rate_and_mean_duration_follow_the_finished_runs()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var schedule = await h.CreateScheduleAsync(intervalSeconds: 3600);
        var run = await h.Schedules().RunNowAsync(schedule.Id, Actor.Admin("admin@example.com"));
        var page = await h.RenderTickingAsync<ScheduleDetails>(p => p.Add(x => x.Id, schedule.Id));
        Assert.Equal("–", page.Find("[data-testid=success-rate]").TextContent);

        await h.Engine.StartEngineAsync();
        await h.Engine.WaitForStatusAsync(run.Run!.BatchId!.Value, BatchStatus.Completed);

        await h.UntilShownAsync(page, () =>
        {
            Assert.Equal("100%", page.Find("[data-testid=success-rate]").TextContent);
            Assert.NotEqual("–", page.Find("[data-testid=mean-duration]").TextContent);
        });
    }

    [Fact]
    public async Task Each_run_names_its_dataset_the_rows_it_takes_and_its_maximum_run_time()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var datasets = h.Engine.Services.CreateScope().ServiceProvider.GetRequiredService<DatasetService>();
        var todos = (await datasets.CreateAsync("list 7", [new ItemInput("todo-01")], Actor.Admin("test"))).Dataset!;
        var schedule = await h.Engine.CreateScheduleAsync(new ScheduleInput
        {
            Name = "list 7 to-dos", Cron = "0 * * * * ?",
            Batch = new CreateBatchRequest
            {
                Handler = "scripted", Source = new BatchSource { DatasetId = todos.Id, Only = SourceRows.Pending },
                Options = new OptionsInput { MaxRunMs = 15 * 60_000 },
            },
        });

        var page = h.Context.Render<ScheduleDetails>(p => p.Add(x => x.Id, schedule.Id));
        page.WaitUntilReady();

        var items = System.Text.RegularExpressions.Regex.Replace(page.Find("[data-testid=template-items]").TextContent, @"\s+", " ").Trim();
        Assert.StartsWith("pending rows of list 7", items);
        Assert.Equal("15m 00s", page.Find("[data-testid=template-max-run]").TextContent);
        Assert.Equal("0 * * * * ?", page.Find("[data-testid=timing]").TextContent);
    }

    [Fact]
    public async Task An_unknown_schedule_says_so()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var page = h.Context.Render<ScheduleDetails>(p => p.Add(x => x.Id, Guid.NewGuid()));
        page.WaitForAssertion(() => Assert.Contains("Schedule not found", page.Find("h1").TextContent));
    }

    [Fact]
    public async Task A_viewer_sees_the_runs_and_the_next_run_and_is_told_why_there_is_nothing_to_switch_or_run()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var schedule = await h.CreateScheduleAsync(intervalSeconds: 3600);
        var run = await h.Schedules().RunNowAsync(schedule.Id, Actor.Admin("admin@example.com"));
        var viewer = h.OpenTab();
        viewer.Services.GetRequiredService<TestUser>().Role = BatchMonitor.Web.Auth.Roles.Viewer;

        var page = viewer.Render<ScheduleDetails>(p => p.Add(x => x.Id, schedule.Id));
        page.WaitUntilReady();

        Assert.Single(page.FindAll($"td[data-batch-id='{run.Run!.BatchId}']"));
        Assert.Contains("in 1 h", page.Find("[data-testid=next-run]").TextContent);
        Assert.Empty(page.FindAll(".mud-switch"));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() is "Run now" or "Edit");
        Assert.Empty(page.FindAll($"a[href='schedules/{schedule.Id}/edit']"));
        Assert.Contains("need the admin role", page.Find("[data-testid=viewer-note]").TextContent);
    }

    [Fact]
    public async Task The_history_pages_through_the_fires_and_counts_them_with_their_noun()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var schedule = await h.CreateScheduleAsync(intervalSeconds: 3600);
        var admin = Actor.Admin("admin@example.com");
        await h.Schedules().RunNowAsync(schedule.Id, admin);
        for (var i = 0; i < 11; i++) await h.Schedules().RunNowAsync(schedule.Id, admin); // skipped: the first run is still active
        var page = h.Context.Render<ScheduleDetails>(p => p.Add(x => x.Id, schedule.Id));
        page.WaitUntilReady();

        await h.ChooseAsync(page, "fires-page-size", "10");
        await page.WaitForAssertionAsync(() =>
        {
            Assert.Equal(10, page.FindAll("td[data-run-id]").Count);
            Assert.Contains("1–10 of 12 fires", page.Find("[data-testid=fires-pager]").TextContent);
        });

        await page.FindAll("[data-testid=fires-pager] button").First(b => b.TextContent.Trim() == "2").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        await page.WaitForAssertionAsync(() =>
        {
            Assert.Equal(2, page.FindAll("td[data-run-id]").Count);
            Assert.Contains("11–12 of 12 fires", page.Find("[data-testid=fires-pager]").TextContent);
            Assert.Equal("started", page.FindAll("td[data-run-id]")[^1].GetAttribute("data-outcome"));
        });
    }
}
