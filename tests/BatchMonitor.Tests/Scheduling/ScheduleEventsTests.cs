using System.Collections.Concurrent;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Scheduling;

/// <summary>Every committed change of a schedule is announced, so pages showing schedules read them again.</summary>
public sealed class ScheduleEventsTests
{
    [Fact]
    public async Task Saving_switching_firing_and_deleting_a_schedule_are_each_announced_after_commit()
    {
        await using var h = await EngineHarness.CreateAsync();
        var events = h.Services.GetRequiredService<ScheduleEvents>();
        var heard = new ConcurrentQueue<(Guid Id, bool Stored)>();
        using var subscription = events.Subscribe(id =>
            heard.Enqueue((id, h.Schedules().GetAsync(id).GetAwaiter().GetResult() is not null)));

        var schedule = await h.CreateScheduleAsync(ScheduleHarness.EveryMinute());
        await h.Schedules().SetEnabledAsync(schedule.Id, false);
        await h.Schedules().RunNowAsync(schedule.Id);
        await h.Schedules().DeleteAsync(schedule.Id);

        // Created, disabled, the run recorded: each already readable when announced; then deleted, and gone.
        Assert.Equal([(schedule.Id, true), (schedule.Id, true), (schedule.Id, true), (schedule.Id, false)], heard);
        subscription.Dispose();
        Assert.Equal(0, events.SubscriberCount);
    }

    [Fact]
    public async Task A_refused_change_announces_nothing()
    {
        await using var h = await EngineHarness.CreateAsync();
        var events = h.Services.GetRequiredService<ScheduleEvents>();
        var heard = 0;
        using var subscription = events.Subscribe(_ => Interlocked.Increment(ref heard));

        var refused = await h.Schedules().CreateAsync(ScheduleHarness.EveryMinute() with { Cron = "not a cron" }, "t");

        Assert.False(refused.IsOk);
        Assert.Equal(0, heard);
    }
}
