using System.Collections.Concurrent;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Scheduling;

/// <summary>Every committed change of a schedule is announced, so pages showing schedules read them again.</summary>
public class ScheduleEventsTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in ScheduleEventsTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task Saving_switching_firing_and_deleting_a_schedule_are_each_announced_in_order()
    {
        await using var h = await Store.HarnessAsync();
        var events = h.Services.GetRequiredService<ScheduleEvents>();
        var heard = new ConcurrentQueue<Guid>();
        using var subscription = events.Subscribe(heard.Enqueue);
        var other = await h.CreateScheduleAsync(ScheduleHarness.EveryMinute() with { Name = "another" });
        var schedule = await h.CreateScheduleAsync(ScheduleHarness.EveryMinute());
        await Wait.UntilAsync(() => heard.Count == 2, "both creations to be announced");

        await h.Schedules().SetEnabledAsync(schedule.Id, false, Actor.Admin("admin@example.com"));
        await Wait.UntilAsync(() => heard.Count == 3, "the switch to be announced");
        await h.Schedules().RunNowAsync(schedule.Id, Actor.Admin("admin@example.com"));
        await Wait.UntilAsync(() => heard.Count == 4, "the run to be announced");
        await h.Schedules().DeleteAsync(schedule.Id, Actor.Admin("admin@example.com"));
        await Wait.UntilAsync(() => heard.Count == 5, "the deletion to be announced");

        await h.Schedules().SetEnabledAsync(other.Id, false, Actor.Admin("admin@example.com"));
        await Wait.UntilAsync(() => heard.Count == 6, "the other schedule's switch to be announced");

        Assert.Equal([other.Id, schedule.Id, schedule.Id, schedule.Id, schedule.Id, other.Id], heard);
        subscription.Dispose();
        Assert.Equal(0, events.SubscriberCount);
    }

    [Fact]
    public async Task A_refused_change_announces_nothing()
    {
        await using var h = await Store.HarnessAsync();
        var events = h.Services.GetRequiredService<ScheduleEvents>();
        var heard = 0;
        using var subscription = events.Subscribe(_ => Interlocked.Increment(ref heard));

        var refused = await h.Schedules().CreateAsync(ScheduleHarness.EveryMinute() with { Cron = "not a cron" }, Actor.Admin("t"));
        await h.Schedules().SetEnabledAsync(Guid.NewGuid(), false, Actor.Admin("admin@example.com"));
        // A change that is announced afterwards arrives alone: nothing was queued before it.
        var marker = Guid.NewGuid();
        events.Changed(marker);
        await Wait.UntilAsync(() => Volatile.Read(ref heard) == 1, "the marker to arrive");

        Assert.False(refused.IsOk);
        Assert.Equal(1, heard);
    }

    [Fact]
    public async Task A_change_counts_as_undelivered_until_every_subscriber_has_heard_of_it()
    {
        await using var h = await Store.HarnessAsync();
        var events = h.Services.GetRequiredService<ScheduleEvents>();
        using var hold = new ManualResetEventSlim();
        using var subscription = events.Subscribe(_ => hold.Wait());

        events.Changed(Guid.NewGuid());
        events.Changed(Guid.NewGuid());
        Assert.Equal(2, events.Undelivered);

        hold.Set();
        await Wait.UntilAsync(() => events.Undelivered == 0, "both changes to be delivered");
    }
}
