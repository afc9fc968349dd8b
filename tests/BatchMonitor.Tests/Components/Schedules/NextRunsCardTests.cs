using BatchMonitor.Core.Access;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Components.Schedules;
using Bunit;

namespace BatchMonitor.Tests.Components.Schedules;

public sealed class NextRunsCardTests
{
    [Fact]
    public async Task The_dashboard_lists_the_soonest_runs_first_and_counts_them_down_without_reading()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var hourly = await h.CreateScheduleAsync("hourly", intervalSeconds: 3600);
        var soon = await h.CreateScheduleAsync("soon", intervalSeconds: 30);
        var off = await h.CreateScheduleAsync("switched off", intervalSeconds: 10);
        await h.Schedules().SetEnabledAsync(off.Id, false, Actor.Admin("admin@example.com"));

        var card = await h.RenderTickingAsync<NextRunsCard>();
        var shown = card.FindAll("li[data-schedule-id]").Select(li => li.GetAttribute("data-schedule-id")).ToList();
        Assert.Equal([soon.Id.ToString(), hourly.Id.ToString()], shown);
        Assert.Equal("in 30 s", card.Find($"li[data-schedule-id='{soon.Id}'] [data-testid=relative]").TextContent);
        var commands = h.Commands.Count;

        h.Time.Advance(TimeSpan.FromSeconds(1));
        await card.WaitForAssertionAsync(() =>
        {
            Assert.Equal("in 29 s", card.Find($"li[data-schedule-id='{soon.Id}'] [data-testid=relative]").TextContent);
            Assert.Equal("in 59 min 59 s", card.Find($"li[data-schedule-id='{hourly.Id}'] [data-testid=relative]").TextContent);
        });
        Assert.Equal(commands, h.Commands.Count);
    }
}
