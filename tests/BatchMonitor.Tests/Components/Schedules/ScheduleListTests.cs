using BatchMonitor.Core.Access;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Components.Live;
using BatchMonitor.Web.Components.Pages.Schedules;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components.Schedules;

public sealed class ScheduleListTests
{
    [Fact]
    public async Task The_next_run_counts_down_every_second_without_reading_the_database()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var schedule = await h.CreateScheduleAsync(intervalSeconds: 60);
        var page = await h.RenderTickingAsync<ScheduleList>();
        Assert.Equal("09:01:00", page.Row("data-schedule-id", schedule.Id).QuerySelector("[data-next-run] time")!.TextContent);
        Assert.Equal("in 1 min 00 s", page.Row("data-schedule-id", schedule.Id).QuerySelector("[data-testid=relative]")!.TextContent);
        var commands = h.Commands.Count;

        foreach (var expected in new[] { "in 59 s", "in 58 s", "in 57 s" })
        {
            h.Time.Advance(TimeSpan.FromSeconds(1));
            await page.WaitForAssertionAsync(() => Assert.Equal(expected, page.Row("data-schedule-id", schedule.Id).QuerySelector("[data-testid=relative]")!.TextContent));
        }

        Assert.Equal(commands, h.Commands.Count);
    }

    [Fact]
    public async Task Once_a_next_run_has_passed_the_page_reads_the_schedule_again_and_shows_the_one_after()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var schedule = await h.CreateScheduleAsync(intervalSeconds: 60);
        var page = await h.RenderTickingAsync<ScheduleList>();

        // The scheduler is not running here: the test plays it, moving the next run as a skipped fire would (no batch, no event).
        var commands = h.Commands.Count;
        h.Time.Advance(TimeSpan.FromSeconds(60));
        await using (var db = await h.Engine.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Core.Storage.BatchMonitorDbContext>>().CreateDbContextAsync())
        {
            var stored = await db.Schedules.FindAsync(schedule.Id);
            stored!.NextRunAt = h.Time.UtcNow.AddSeconds(60);
            await db.SaveChangesAsync();
        }

        await h.UntilShownAsync(page, () => Assert.Equal("09:02:00", page.Row("data-schedule-id", schedule.Id).QuerySelector("[data-next-run] time")!.TextContent));
        Assert.True(h.Commands.Count > commands, "the page read the schedule again");
    }

    [Fact]
    public async Task A_schedule_switched_off_and_renamed_in_another_tab_shows_so_here_without_waiting_for_a_fire()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var schedule = await h.CreateScheduleAsync(intervalSeconds: 3600);
        var page = await h.RenderTickingAsync<ScheduleList>();
        Assert.Equal("true", page.RowCell("data-schedule-id", schedule.Id).GetAttribute("data-enabled"));
        Assert.Equal(1, h.Context.Services.GetRequiredService<Core.Events.ScheduleEvents>().SubscriberCount);

        // Another tab (its own service scope) switches it off and renames it.
        await h.Schedules().SetEnabledAsync(schedule.Id, false, Actor.Admin("admin@example.com"));
        await h.UntilShownAsync(page, () => Assert.Equal("false", page.RowCell("data-schedule-id", schedule.Id).GetAttribute("data-enabled")));
        var stored = (await h.Schedules().GetAsync(schedule.Id))!;
        await h.Schedules().UpdateAsync(schedule.Id, new Core.Scheduling.ScheduleInput
        {
            Name = "renamed elsewhere", IntervalSeconds = stored.IntervalSeconds, TimeZone = stored.TimeZone, Enabled = false,
            Batch = stored.Batch,
        }, Actor.Admin("admin@example.com"));
        await h.UntilShownAsync(page, () => Assert.Contains("renamed elsewhere", page.Row("data-schedule-id", schedule.Id).TextContent));
    }

    [Fact]
    public async Task Run_now_starts_a_run_and_the_last_run_shows_its_batch_live()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var schedule = await h.CreateScheduleAsync(intervalSeconds: 3600);
        var page = await h.RenderTickingAsync<ScheduleList>();
        Assert.Contains("never", page.Row("data-schedule-id", schedule.Id).TextContent);

        await page.FindButton("Run now").ClickAsync();

        await page.WaitForAssertionAsync(() => Assert.Equal("queued", page.Row("data-schedule-id", schedule.Id).QuerySelector("[data-last-batch] [data-status]")!.GetAttribute("data-status")));
        var batchId = Guid.Parse(page.Row("data-schedule-id", schedule.Id).QuerySelector("[data-last-batch]")!.GetAttribute("data-last-batch")!);
        var batch = await h.Engine.GetAsync(batchId);
        Assert.Equal(schedule.Id, batch.ScheduleId);

        h.Push(ComponentHarness.Running(batch, succeeded: 1));
        h.Time.Advance(LiveComponentBase.RenderInterval);
        await page.WaitForAssertionAsync(() => Assert.Equal("running", page.Row("data-schedule-id", schedule.Id).QuerySelector("[data-last-batch] [data-status]")!.GetAttribute("data-status")));
    }

    [Fact]
    public async Task Switching_a_schedule_off_stops_its_countdown_and_a_viewer_sees_no_controls()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var schedule = await h.CreateScheduleAsync();
        var page = await h.RenderTickingAsync<ScheduleList>();

        page.Find($"#enabled-{schedule.Id}").Change(false);

        await page.WaitForAssertionAsync(() => Assert.Equal("disabled", page.Row("data-schedule-id", schedule.Id).QuerySelector("[data-next-run]")!.TextContent.Trim()));
        Assert.False((await h.Schedules().GetAsync(schedule.Id))!.Enabled);

        var viewer = h.OpenTab();
        viewer.Services.GetRequiredService<TestUser>().Role = Roles.Viewer;
        var seen = viewer.Render<ScheduleList>();
        seen.WaitForAssertion(() => Assert.Equal("off", seen.Row("data-schedule-id", schedule.Id).QuerySelector("[data-testid=enabled-text]")!.TextContent.Trim()));
        Assert.Empty(seen.FindAll("button"));
        Assert.Empty(seen.FindAll(".mud-switch"));
        Assert.Empty(seen.FindAll("a[href='schedules/new']"));
        Assert.Empty(seen.FindAll($"a[href='schedules/{schedule.Id}/edit']"));
        // What is not there is said, once, above the list.
        Assert.Contains("need the admin role", seen.Find("[data-testid=viewer-note]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=viewer-note]"));
    }

    [Fact]
    public async Task Delete_asks_first_keeps_the_schedule_when_told_no_and_removes_it_when_told_yes()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var schedule = await h.CreateScheduleAsync("nightly ranking", intervalSeconds: 3600);
        var page = await h.RenderTickingAsync<ScheduleList>();
        var delete = $"button[aria-label='Delete nightly ranking']";

        page.Find(delete).Click(); // the handler waits for the answer to its dialog
        page.WaitForAssertion(() => Assert.Contains("Delete “nightly ranking”?", h.Overlays.Find("[role=dialog]").TextContent));
        await h.Overlays.FindButton("Keep it").ClickAsync();
        h.Overlays.WaitForAssertion(() => Assert.Empty(h.Overlays.FindAll("[role=dialog]")));
        Assert.NotNull(await h.Schedules().GetAsync(schedule.Id));
        Assert.Single(page.FindAll($"td[data-schedule-id='{schedule.Id}']"));

        page.Find(delete).Click();
        page.WaitForAssertion(() => Assert.Single(h.Overlays.FindAll("[role=dialog]")));
        await h.Overlays.FindButton("Delete schedule").ClickAsync();
        await page.WaitForAssertionAsync(() => Assert.Empty(page.FindAll($"td[data-schedule-id='{schedule.Id}']")));
        Assert.Null(await h.Schedules().GetAsync(schedule.Id));
        Assert.Contains("No schedules yet", page.Markup);
    }

    [Fact]
    public async Task A_cron_schedule_says_in_words_when_it_runs()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var schedule = await h.CreateScheduleAsync("every ten", cron: "0 */10 * * * ?");
        var page = await h.RenderTickingAsync<ScheduleList>();

        var row = page.Row("data-schedule-id", schedule.Id);
        Assert.Equal("0 */10 * * * ?", row.QuerySelector("[data-testid=timing]")!.TextContent);
        Assert.Equal("every 10 minutes", row.QuerySelector("[data-testid=cron-words]")!.TextContent);
    }
}
