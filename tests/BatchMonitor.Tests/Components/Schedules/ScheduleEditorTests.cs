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
        page.WaitUntilReady();
        var commands = h.Commands.Count;

        page.Find("#schedule-cron").Input("0 */10 * * * ?");
        await page.WaitForAssertionAsync(() =>
        {
            var fires = page.FindAll("[data-testid=next-fires] li time").Select(t => t.GetAttribute("datetime")).ToList();
            Assert.Equal(["2026-03-02T09:10:00Z", "2026-03-02T09:20:00Z", "2026-03-02T09:30:00Z", "2026-03-02T09:40:00Z", "2026-03-02T09:50:00Z"], fires);
            Assert.Empty(page.FindAll("#error-cron"));
            Assert.Equal("every 10 minutes", page.Find("[data-testid=cron-words]").TextContent);
        });

        page.Find("#schedule-cron").Input("0 */10 * * *");
        await page.WaitForAssertionAsync(() =>
        {
            Assert.Empty(page.FindAll("[data-testid=next-fires]"));
            Assert.Contains("is not a valid cron expression", page.Find("#error-cron").TextContent);
            Assert.Empty(page.FindAll("[data-testid=cron-words]"));
        });

        page.Find("#schedule-cron").Input("0 0 9 ? * MON-FRI");
        page.Find("#schedule-zone").Input("Asia/Seoul");
        await page.WaitForAssertionAsync(() =>
        {
            Assert.Equal("weekdays at 09:00", page.Find("[data-testid=cron-words]").TextContent);
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
        page.WaitUntilReady();

        page.Find("#schedule-name").Input("list 7 to-dos");
        await page.FindButton("every minute").ClickAsync();
        await page.FindButton("Rows of a dataset").ClickAsync();
        await h.ChooseAsync(page, "items-dataset-id", "list 7 (2 rows, 2 pending)");
        await page.Find("#only-pending").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
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
    public async Task What_the_service_refuses_is_shown_beside_its_field_in_the_labels_words_and_nothing_is_saved()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var page = h.Context.Render<ScheduleEditor>();
        page.WaitUntilReady();

        await page.FindButton("Every N seconds").ClickAsync();
        page.Find("#schedule-interval").Input("0");
        page.Find("#arg-minMs").Input("-5");
        page.Find("#opt-maxAttempts").Input("0");
        page.Find("form").Submit();

        await page.WaitForAssertionAsync(() =>
        {
            Assert.Contains("Nothing was saved", page.Find("[data-testid=form-summary]").TextContent);
            Assert.Contains("Give the schedule a name.", page.Find("#error-name").TextContent);
            Assert.Contains("The interval must be between 1 and 31,622,400", page.Find("#error-intervalSeconds").TextContent);
            Assert.Single(page.FindAll("#arg-minMs[aria-invalid=true]"));
            Assert.Contains("Give at least one item.", page.Find("#error-items").TextContent);
            // Under the field labelled "Attempts", in its words: not the API's "maxAttempts".
            Assert.Equal("Attempts must be between 1 and 100.", page.Find("#error-options-maxAttempts").TextContent.Trim());
        });
        Assert.DoesNotContain("maxAttempts must", page.Markup);
        Assert.DoesNotContain("intervalSeconds must", page.Markup);
        Assert.Empty(await h.Schedules().ListAsync());
    }

    [Fact]
    public async Task The_name_message_appears_when_the_name_is_missing_and_clears_as_soon_as_one_is_typed()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var page = h.Context.Render<ScheduleEditor>();
        page.WaitUntilReady();
        Assert.Empty(page.FindAll("#error-name")); // nothing is wrong before anything was typed or sent

        page.Find("form").Submit();
        await page.WaitForAssertionAsync(() => Assert.Equal("Give the schedule a name.", page.Find("#error-name").TextContent.Trim()));

        page.Find("#schedule-name").Input("r");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("#error-name")));

        page.Find("#schedule-name").Input("");
        page.WaitForAssertion(() => Assert.Equal("Give the schedule a name.", page.Find("#error-name").TextContent.Trim()));
        Assert.Empty(await h.Schedules().ListAsync());
    }

    [Fact]
    public async Task Every_fields_message_clears_as_the_user_puts_it_right_without_sending_the_form_again()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var page = h.Context.Render<ScheduleEditor>();
        page.WaitUntilReady();
        await page.FindButton("Every N seconds").ClickAsync();
        page.Find("form").Submit();
        await page.WaitForAssertionAsync(() =>
        {
            Assert.Equal("Give the number of seconds between runs.", page.Find("#error-intervalSeconds").TextContent.Trim());
            Assert.Equal("Give at least one item.", page.Find("#error-items").TextContent.Trim());
        });

        page.Find("#schedule-interval").Input("0");
        page.WaitForAssertion(() => Assert.StartsWith("The interval must be between 1", page.Find("#error-intervalSeconds").TextContent.Trim()));
        page.Find("#schedule-interval").Input("30");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("#error-intervalSeconds")));

        page.Find("#items").Input("alice\nbob");
        page.WaitForAssertion(() =>
        {
            Assert.Empty(page.FindAll("#error-items"));
            Assert.Equal("2 items", page.Find("[data-testid=item-count]").TextContent);
        });

        // The options' number fields take a value when it is changed; leaving the field (focus moving on) checks it.
        page.Find("#opt-maxAttempts").Input("0");
        page.Find("#opt-maxAttempts").FocusOut();
        page.WaitForAssertion(() => Assert.Equal("Attempts must be between 1 and 100.", page.Find("#error-options-maxAttempts").TextContent.Trim()));
        page.Find("#opt-maxAttempts").Input("3");
        page.Find("#opt-maxAttempts").FocusOut();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("#error-options-maxAttempts")));

        page.Find("#schedule-name").Input("every half minute");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=form-summary]")));
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
        page.WaitUntilReady();
        Assert.Equal("0 */10 * * * ?", page.Find("#schedule-cron").GetAttribute("value"));
        Assert.Equal(5, page.FindAll("[data-testid=next-fires] li").Count);

        page.Find("#schedule-name").Input("ranking (every 20 min)");
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
