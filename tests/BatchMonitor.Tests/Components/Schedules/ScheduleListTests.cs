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
        var row = $"tr[data-schedule-id='{schedule.Id}']";
        Assert.Equal("09:01:00", page.Find($"{row} [data-next-run] time").TextContent);
        Assert.Equal("in 1 min 00 s", page.Find($"{row} [data-testid=relative]").TextContent);
        var commands = h.Commands.Count;

        foreach (var expected in new[] { "in 59 s", "in 58 s", "in 57 s" })
        {
            h.Time.Advance(TimeSpan.FromSeconds(1));
            await page.WaitForAssertionAsync(() => Assert.Equal(expected, page.Find($"{row} [data-testid=relative]").TextContent));
        }

        Assert.Equal(commands, h.Commands.Count);
    }

    [Fact]
    public async Task Once_a_next_run_has_passed_the_page_reads_the_schedule_again_and_shows_the_one_after()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var schedule = await h.CreateScheduleAsync(intervalSeconds: 60);
        var page = await h.RenderTickingAsync<ScheduleList>();
        var row = $"tr[data-schedule-id='{schedule.Id}']";

        // The scheduler is not running here: the test plays it, moving the next run as a skipped fire would (no batch, no event).
        var commands = h.Commands.Count;
        h.Time.Advance(TimeSpan.FromSeconds(60));
        await using (var db = await h.Engine.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Core.Storage.BatchMonitorDbContext>>().CreateDbContextAsync())
        {
            var stored = await db.Schedules.FindAsync(schedule.Id);
            stored!.NextRunAt = h.Time.UtcNow.AddSeconds(60);
            await db.SaveChangesAsync();
        }

        await h.UntilShownAsync(page, () => Assert.Equal("09:02:00", page.Find($"{row} [data-next-run] time").TextContent));
        Assert.True(h.Commands.Count > commands, "the page read the schedule again");
    }

    [Fact]
    public async Task A_schedule_switched_off_and_renamed_in_another_tab_shows_so_here_without_waiting_for_a_fire()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var schedule = await h.CreateScheduleAsync(intervalSeconds: 3600);
        var page = await h.RenderTickingAsync<ScheduleList>();
        var row = $"tr[data-schedule-id='{schedule.Id}']";
        Assert.Equal("true", page.Find(row).GetAttribute("data-enabled"));
        Assert.Equal(1, h.Context.Services.GetRequiredService<Core.Events.ScheduleEvents>().SubscriberCount);

        // Another tab (its own service scope) switches it off and renames it.
        await h.Schedules().SetEnabledAsync(schedule.Id, false, Actor.Admin("admin@example.com"));
        await h.UntilShownAsync(page, () => Assert.Equal("false", page.Find(row).GetAttribute("data-enabled")));
        var stored = (await h.Schedules().GetAsync(schedule.Id))!;
        await h.Schedules().UpdateAsync(schedule.Id, new Core.Scheduling.ScheduleInput
        {
            Name = "renamed elsewhere", IntervalSeconds = stored.IntervalSeconds, TimeZone = stored.TimeZone, Enabled = false,
            Batch = stored.Batch,
        }, Actor.Admin("admin@example.com"));
        await h.UntilShownAsync(page, () => Assert.Contains("renamed elsewhere", page.Find(row).TextContent));
    }

    [Fact]
    public async Task Run_now_starts_a_run_and_the_last_run_shows_its_batch_live()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var schedule = await h.CreateScheduleAsync(intervalSeconds: 3600);
        var page = await h.RenderTickingAsync<ScheduleList>();
        var row = $"tr[data-schedule-id='{schedule.Id}']";
        Assert.Contains("never", page.Find(row).TextContent);

        await page.FindButton("Run now").ClickAsync();

        await page.WaitForAssertionAsync(() => Assert.Equal("queued", page.Find($"{row} [data-last-batch] [data-status]").GetAttribute("data-status")));
        var batchId = Guid.Parse(page.Find($"{row} [data-last-batch]").GetAttribute("data-last-batch")!);
        var batch = await h.Engine.GetAsync(batchId);
        Assert.Equal(schedule.Id, batch.ScheduleId);

        h.Push(ComponentHarness.Running(batch, succeeded: 1));
        h.Time.Advance(LiveComponentBase.RenderInterval);
        await page.WaitForAssertionAsync(() => Assert.Equal("running", page.Find($"{row} [data-last-batch] [data-status]").GetAttribute("data-status")));
    }

    [Fact]
    public async Task Switching_a_schedule_off_stops_its_countdown_and_a_viewer_sees_no_controls()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var schedule = await h.CreateScheduleAsync();
        var page = await h.RenderTickingAsync<ScheduleList>();
        var row = $"tr[data-schedule-id='{schedule.Id}']";

        page.Find($"#enabled-{schedule.Id}").Change(false);

        await page.WaitForAssertionAsync(() => Assert.Equal("disabled", page.Find($"{row} [data-next-run]").TextContent.Trim()));
        Assert.False((await h.Schedules().GetAsync(schedule.Id))!.Enabled);

        var viewer = h.OpenTab();
        viewer.Services.GetRequiredService<TestUser>().Role = Roles.Viewer;
        var seen = viewer.Render<ScheduleList>();
        seen.WaitForAssertion(() => Assert.Equal("off", seen.Find($"{row} [data-testid=enabled-text]").TextContent.Trim()));
        Assert.Empty(seen.FindAll("button"));
        Assert.Empty(seen.FindAll("input[role=switch]"));
    }
}
