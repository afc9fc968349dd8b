using BatchMonitor.Core.Access;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Scheduling;

public class ScheduleServiceTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in ScheduleServiceTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task An_invalid_cron_expression_is_refused_with_a_clear_message_and_nothing_is_stored()
    {
        await using var h = await Store.HarnessAsync(start: false);

        var result = await h.Schedules().CreateAsync(new ScheduleInput
        {
            Name = "ranking", Cron = "*/10 * * * *",
            Batch = new CreateBatchRequest { Handler = "demo", Items = [new ItemInput("a")] },
        }, Actor.Admin("t"));

        var message = Assert.Single(result.Errors!.For("cron"));
        Assert.Contains("'*/10 * * * *' is not a valid cron expression", message);
        Assert.Contains("seconds", message);
        Assert.Empty(await h.Schedules().ListAsync());
    }

    [Fact]
    public async Task A_57000_character_cron_and_an_overlong_time_zone_are_refused_without_echoing_them_and_nothing_is_stored()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var cron = "0 " + string.Join(",", Enumerable.Repeat("1", 28_500)) + " * * * ?"; // valid for Quartz, 57,000+ characters

        var result = await h.Schedules().CreateAsync(new ScheduleInput
        {
            Name = "long", Cron = cron, TimeZone = new string('x', 5_000),
            Batch = new CreateBatchRequest { Handler = "demo", Items = [new ItemInput("a")] },
        }, Actor.Admin("t"));

        var message = Assert.Single(result.Errors!.For("cron"));
        Assert.StartsWith($"A cron expression has at most {FireTimes.MaxCronLength} characters (this one has {cron.Length:N0})", message);
        Assert.True(Assert.Single(result.Errors.For("timeZone")).Length < 200);
        Assert.Empty(await h.Schedules().ListAsync());
    }

    [Fact]
    public async Task The_batch_template_is_checked_like_a_batch_request()
    {
        await using var h = await Store.HarnessAsync(start: false);

        var result = await h.Schedules().CreateAsync(new ScheduleInput
        {
            Name = " ", IntervalSeconds = 60,
            Batch = new CreateBatchRequest { Handler = "nope", Source = new BatchSource { DatasetId = Guid.NewGuid() } },
        }, Actor.Admin("t"));

        Assert.NotEmpty(result.Errors!.For("name"));
        Assert.NotEmpty(result.Errors.For("batch.handler"));
        Assert.Equal(["No dataset has this id."], result.Errors.For("batch.source.datasetId"));
    }

    [Fact]
    public async Task Preview_shows_the_next_five_fires_or_what_is_wrong()
    {
        await using var h = await Store.HarnessAsync(start: false);

        var (times, errors) = h.Schedules().Preview("0 */10 * * * ?", null, "Asia/Seoul");
        var (none, wrong) = h.Schedules().Preview("nonsense", null, null);

        Assert.True(errors.IsValid);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => h.Time.UtcNow.AddMinutes(10 * i)), times);
        Assert.Empty(none);
        Assert.NotEmpty(wrong.For("cron"));
    }

    [Fact]
    public async Task Updating_a_schedule_recomputes_its_next_fire_and_deleting_it_keeps_its_batches()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var schedule = await h.CreateScheduleAsync(ScheduleHarness.EveryMinute());
        await h.Schedules().RunNowAsync(schedule.Id, Actor.Admin("admin@example.com"));

        var updated = await h.Schedules().UpdateAsync(schedule.Id, ScheduleHarness.EveryMinute() with
        {
            Name = "hourly", IntervalSeconds = null, Cron = "0 0 * * * ?", TimeZone = "Europe/Berlin",
        }, Actor.Admin("admin@example.com"));
        var deleted = await h.Schedules().DeleteAsync(schedule.Id, Actor.Admin("admin@example.com"));

        Assert.Equal(("hourly", "0 0 * * * ?", h.Time.UtcNow.AddHours(1)), (updated.Schedule!.Name, updated.Schedule.Cron, updated.Schedule.NextRunAt));
        Assert.True(deleted.IsOk);
        Assert.Null(await h.Schedules().GetAsync(schedule.Id));
        Assert.Equal(1, (await h.Batches.ListAsync(new BatchListQuery())).Total);
    }
}
