using BatchMonitor.Core.Access;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Scheduling;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Components.Pages.Schedules;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components.Schedules;

public sealed class ScheduleEditorTests
{
    [Fact]
    public async Task The_cron_field_shows_the_next_five_fires_or_what_is_wrong_as_you_type()
    {
        await using var h = await ComponentHarness.CreateAsync(); // the clock reads 2026-03-02 09:00 UTC
        var page = h.Context.Render<ScheduleEditor>();
        page.WaitUntilLoaded();
        var commands = h.Commands.Count;

        page.Find("#schedule-cron").Input("0 */10 * * * ?");
        await page.WaitForAssertionAsync(() =>
        {
            var fires = page.FindAll("[data-testid=next-fires] li time").Select(t => t.GetAttribute("datetime")).ToList();
            Assert.Equal(["2026-03-02T09:10:00Z", "2026-03-02T09:20:00Z", "2026-03-02T09:30:00Z", "2026-03-02T09:40:00Z", "2026-03-02T09:50:00Z"], fires);
            Assert.Empty(page.FindAll("#schedule-cron.is-invalid"));
        });

        page.Find("#schedule-cron").Input("0 */10 * * *");
        await page.WaitForAssertionAsync(() =>
        {
            Assert.Empty(page.FindAll("[data-testid=next-fires]"));
            Assert.Single(page.FindAll("#schedule-cron.is-invalid"));
            Assert.Contains("is not a valid cron expression", page.Find("#error-cron").TextContent);
        });

        page.Find("#schedule-cron").Input("0 0 9 * * ?");
        page.Find("#schedule-zone").Input("Asia/Seoul");
        await page.WaitForAssertionAsync(() =>
        {
            Assert.Contains("in Asia/Seoul", page.Find(".bm-preview").TextContent);
            var fires = page.FindAll("[data-testid=next-fires] li").Select(li => li.TextContent).ToList();
            Assert.Equal(5, fires.Count);
            Assert.All(fires, f => Assert.Contains("09:00:00", f));
            Assert.All(fires, f => Assert.Contains("UTC+09:00", f));
        });

        page.Find("#schedule-zone").Input("Mars/Olympus_Mons");
        await page.WaitForAssertionAsync(() => Assert.Contains("is not a known time zone", page.Find("#error-timeZone").TextContent));
        Assert.Equal(commands, h.Commands.Count); // checking as you type reads nothing
    }

    [Fact]
    public async Task Saving_the_form_stores_seed_003s_schedule_every_minute_over_the_pending_rows_stopping_after_15_minutes()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var datasets = h.Engine.Services.CreateScope().ServiceProvider.GetRequiredService<DatasetService>();
        var todos = (await datasets.CreateAsync("list 7", [new ItemInput("todo-01"), new ItemInput("todo-02")], Actor.Admin("test"))).Dataset!;
        var page = h.Context.Render<ScheduleEditor>();
        page.WaitUntilLoaded();

        page.Find("#schedule-name").Change("list 7 to-dos");
        await page.FindButton("every minute").ClickAsync();
        page.Find("#items-dataset").Change(true);
        page.Find("#items-dataset-id").Change(todos.Id.ToString());
        page.Find("#only-pending").Change(true);
        page.Find("#opt-maxRunMs").Input("900000");
        page.Find("#opt-maxAttempts").Input("1");
        page.Find("#opt-exclusiveKey").Input("list-7");
        page.Find("form").Submit();

        var navigation = h.Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        await page.WaitForAssertionAsync(() => Assert.Matches("/schedules/[0-9a-f-]{36}$", navigation.Uri));
        var saved = (await h.Schedules().ListAsync()).Single();
        Assert.Equal(("list 7 to-dos", "0 * * * * ?", "UTC", true), (saved.Name, saved.Cron, saved.TimeZone, saved.Enabled));
        Assert.Equal(new BatchSource { DatasetId = todos.Id, Only = SourceRows.Pending }, saved.Batch.Source);
        Assert.Null(saved.Batch.Items);
        Assert.Equal((900_000L, 1, "list-7"), (saved.Batch.Options!.MaxRunMs, saved.Batch.Options.MaxAttempts, saved.Batch.Options.ExclusiveKey));
        Assert.Equal(new DateTime(2026, 3, 2, 9, 1, 0, DateTimeKind.Utc), saved.NextRunAt);
    }

    [Fact]
    public async Task What_the_service_refuses_is_shown_beside_its_field_and_nothing_is_saved()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var page = h.Context.Render<ScheduleEditor>();
        page.WaitUntilLoaded();

        page.Find("#timing-interval").Change(true);
        page.Find("#schedule-interval").Input("0");
        page.Find("#arg-minMs").Input("-5");
        page.Find("form").Submit();

        await page.WaitForAssertionAsync(() =>
        {
            Assert.Contains("Nothing was saved", page.Find("[role=alert]").TextContent);
            Assert.Contains("Give the schedule a name.", page.Find("#error-name").TextContent);
            Assert.Contains("intervalSeconds must be between 1", page.Find("#error-intervalSeconds").TextContent);
            Assert.Single(page.FindAll("#arg-minMs[aria-invalid=true]"));
            Assert.Single(page.FindAll("#items.is-invalid"));
        });
        Assert.Empty(await h.Schedules().ListAsync());
    }

    [Fact]
    public async Task Editing_keeps_what_the_form_cannot_show_and_changes_what_it_can()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var created = await h.Engine.CreateScheduleAsync(new Core.Scheduling.ScheduleInput
        {
            Name = "ranking", Cron = "0 */10 * * * ?", TimeZone = "Asia/Seoul", MisfirePolicy = Core.Domain.MisfirePolicy.RunOnce,
            Batch = new CreateBatchRequest
            {
                Handler = "scripted",
                Items = [new ItemInput("s1-char1", "server-1"), new ItemInput("s2-char1", "server-2")],
                Options = new OptionsInput { MaxAttempts = 3, RetryBaseDelayMs = 60_000, PublishResults = PublishPolicy.OnSuccess },
            },
        });
        var page = h.Context.Render<ScheduleEditor>(p => p.Add(x => x.Id, created.Id));
        page.WaitUntilLoaded();
        Assert.Equal("0 */10 * * * ?", page.Find("#schedule-cron").GetAttribute("value"));
        Assert.Equal(5, page.FindAll("[data-testid=next-fires] li").Count);

        page.Find("#schedule-name").Change("ranking (every 20 min)");
        page.Find("#schedule-cron").Input("0 */20 * * * ?");
        page.Find("form").Submit();

        await page.WaitForAssertionAsync(() => Assert.EndsWith($"/schedules/{created.Id}",
            h.Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().Uri));
        var saved = (await h.Schedules().GetAsync(created.Id))!;
        Assert.Equal(("ranking (every 20 min)", "0 */20 * * * ?", "Asia/Seoul", MisfirePolicy.RunOnce),
            (saved.Name, saved.Cron, saved.TimeZone, saved.MisfirePolicy));
        Assert.Equal(["server-1", "server-2"], saved.Batch.Items!.Select(i => i.Group));
        Assert.Equal((3, 60_000, PublishPolicy.OnSuccess),
            (saved.Batch.Options!.MaxAttempts, saved.Batch.Options.RetryBaseDelayMs, saved.Batch.Options.PublishResults));
    }
}
