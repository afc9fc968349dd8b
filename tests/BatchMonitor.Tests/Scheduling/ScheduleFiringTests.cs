using System.Text.Json.Nodes;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Scheduling;

/// <summary>How a schedule fires under the fake clock: on time, never overlapping, after downtime, by hand.</summary>
public class ScheduleFiringTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in ScheduleFiringTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task Each_fire_starts_a_batch_from_the_template_and_records_it()
    {
        await using var h = await Store.HarnessAsync();
        var schedule = await h.CreateScheduleAsync(ScheduleHarness.EveryMinute());
        Assert.Equal(h.Time.UtcNow.AddMinutes(1), schedule.NextRunAt);

        h.Time.Advance(TimeSpan.FromMinutes(1));
        var history = await h.WaitForHistoryAsync(schedule.Id, 1);

        var run = Assert.Single(history.Items);
        Assert.Equal((RunOutcome.Started, false), (run.Outcome, run.Manual));
        var batch = await h.WaitForStatusAsync(run.BatchId!.Value, BatchStatus.Completed);
        Assert.Equal(schedule.Id, batch.ScheduleId);
        Assert.Equal("every minute · 2026-03-02 09:01", batch.Name);
        var after = await h.Schedules().GetAsync(schedule.Id);
        Assert.Equal((h.Time.UtcNow.AddMinutes(1), run.BatchId), (after!.NextRunAt, after.LastBatchId));
        Assert.Equal(BatchStatus.Completed, after.LastBatchStatus);
    }

    [Fact]
    public async Task A_fire_while_the_previous_run_is_still_running_is_recorded_as_a_skip()
    {
        await using var h = await Store.HarnessAsync();
        var gates = new Gates();
        h.Handler.Behaviour = async (item, ct) =>
        {
            await gates.WaitAsync("long", ct);
            return null;
        };
        var schedule = await h.CreateScheduleAsync(ScheduleHarness.EveryMinute());

        await h.AdvanceMinutesAsync(schedule.Id, 3);

        var history = await h.WaitForHistoryAsync(schedule.Id, 2);
        Assert.Equal([RunOutcome.Skipped, RunOutcome.Started], history.Items.Select(r => r.Outcome));
        Assert.Matches(@"^Previous run still active \('every minute · 2026-03-02 09:01' is (queued|running)\)\. " +
                       @"Skipped 2 fires in a row since 2026-03-02 09:02:00\.$", history.Items[0].Reason);
        Assert.Equal((h.Time.UtcNow, h.Time.UtcNow), (history.Items[0].FireAt, history.Items[0].At));
        Assert.Equal((1, 1), (history.Started, history.Skipped));
        Assert.Single((await h.Batches.ListAsync(new BatchListQuery())).Items);
        gates.OpenAll();
    }

    [Fact]
    public async Task An_every_second_cron_behind_a_long_run_keeps_one_history_row_for_its_skips_and_run_now_keeps_its_own()
    {
        await using var h = await Store.HarnessAsync();
        var gates = new Gates();
        h.Handler.Behaviour = async (item, ct) =>
        {
            await gates.WaitAsync("long", ct);
            return null;
        };
        var longRun = new CreateBatchRequest
        {
            Handler = "scripted", Items = [new ItemInput("a")], Options = new OptionsInput { ItemTimeoutMs = 3_600_000, MaxAttempts = 1 },
        };
        var schedule = await h.CreateScheduleAsync(ScheduleHarness.EveryMinute(longRun) with { IntervalSeconds = null, Cron = "* * * * * ?" });
        await h.AdvanceFiresAsync(schedule.Id, 1, TimeSpan.FromSeconds(1)); // 09:00:01 starts the run

        await h.AdvanceFiresAsync(schedule.Id, 120, TimeSpan.FromSeconds(1)); // 09:00:02 … 09:02:01 are skipped

        var history = await h.WaitForHistoryAsync(schedule.Id, 2);
        var skips = history.Items[0];
        Assert.Equal((RunOutcome.Skipped, false), (skips.Outcome, skips.Manual));
        Assert.Matches(@"^Previous run still active \('every minute · 2026-03-02 09:00' is (queued|running)\)\. " +
                       @"Skipped 120 fires in a row since 2026-03-02 09:00:02\.$", skips.Reason);
        Assert.Equal((h.Time.UtcNow, h.Time.UtcNow), (skips.FireAt, skips.At));

        // "Run now" is the user's own act: its row stays, and the clock's next skip starts a new stretch.
        Assert.Equal(ChangeOutcome.Conflict, (await h.Schedules().RunNowAsync(schedule.Id, Actor.Admin("admin@example.com"))).Outcome);
        await h.AdvanceFiresAsync(schedule.Id, 2, TimeSpan.FromSeconds(1));
        var after = await h.WaitForHistoryAsync(schedule.Id, 4);
        Assert.Equal([(RunOutcome.Skipped, false), (RunOutcome.Skipped, true), (RunOutcome.Skipped, false), (RunOutcome.Started, false)],
            after.Items.Select(r => (r.Outcome, r.Manual)));
        Assert.EndsWith("Skipped 2 fires in a row since 2026-03-02 09:02:02.", after.Items[0].Reason);
        Assert.Equal(skips.Id, after.Items[2].Id);
        gates.OpenAll();
    }

    [Fact]
    public async Task MaxRunMs_stops_a_scheduled_run_and_its_unfinished_rows_stay_pending_for_the_next()
    {
        await using var h = await Store.HarnessAsync();
        var dataset = await Datasets.DatasetSelectionTests.CreateDatasetAsync(h, 5);
        h.Handler.Behaviour = async (item, ct) =>
        {
            if (item.Index >= 2) await Task.Delay(TimeSpan.FromHours(1), item.Time, ct);
            return null;
        };
        var schedule = await h.CreateScheduleAsync(new ScheduleInput
        {
            Name = "nightly", IntervalSeconds = 3600,
            Batch = new CreateBatchRequest
            {
                Handler = "scripted", Source = new BatchSource { DatasetId = dataset.Id, Only = SourceRows.Pending },
                // The item's own timeout stays out of the way: this is about the batch's maximum run time.
                Options = new OptionsInput { MaxRunMs = 90_000, ItemTimeoutMs = 3_600_000 },
            },
        });
        h.Time.Advance(TimeSpan.FromHours(1));
        var run = (await h.WaitForHistoryAsync(schedule.Id, 1)).Items[0];
        await Wait.UntilAsync(async () => (await h.GetAsync(run.BatchId!.Value)).Succeeded == 2, "two quick rows");

        h.Time.Advance(TimeSpan.FromSeconds(90));

        var stopped = await h.WaitForStatusAsync(run.BatchId!.Value, BatchStatus.TimedOut);
        await Wait.UntilAsync(async () => (await h.GetAsync(stopped.Id)).Running == 0, "the running row to stop");
        Assert.Equal((2, 3), ((await h.GetAsync(stopped.Id)).Succeeded, (await h.GetAsync(stopped.Id)).Cancelled));
        var view = await new DatasetSelectionTestsAccess(h).DatasetAsync(dataset.Id);
        Assert.Equal((2, 3), (view.Succeeded, view.Pending));
    }

    [Theory]
    [InlineData(MisfirePolicy.Skip, RunOutcome.Skipped)]
    [InlineData(MisfirePolicy.RunOnce, RunOutcome.Started)]
    public async Task After_an_hour_of_downtime_the_misfire_policy_decides_between_a_skip_and_one_catch_up_run(
        MisfirePolicy policy, RunOutcome outcome)
    {
        await using var database = await Store.CreateDatabaseAsync();
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        Guid id;
        await using (var before = await Store.HarnessAsync(database: database, time: time))
        {
            id = (await before.CreateScheduleAsync(new ScheduleInput
            {
                Name = "every ten minutes", Cron = "0 */10 * * * ?", MisfirePolicy = policy,
                Batch = new CreateBatchRequest { Handler = "scripted", Items = [new ItemInput("a")] },
            })).Id;
        }
        time.Advance(TimeSpan.FromHours(1)); // the server is down from 09:00 to 10:00

        await using var after = await Store.HarnessAsync(database: database, time: time);
        var history = await after.WaitForHistoryAsync(id, 1);

        var run = Assert.Single(history.Items);
        Assert.Equal(outcome, run.Outcome);
        Assert.Contains("6 run(s)", run.Reason);
        Assert.Equal(policy == MisfirePolicy.RunOnce, run.BatchId is not null);
        Assert.Equal(time.UtcNow.AddMinutes(10), (await after.Schedules().GetAsync(id))!.NextRunAt);
        Assert.Equal(policy == MisfirePolicy.RunOnce ? 1 : 0, (await after.Batches.ListAsync(new BatchListQuery())).Total);
    }

    [Fact]
    public async Task A_disabled_schedule_never_fires_until_enabled()
    {
        await using var h = await Store.HarnessAsync();
        var schedule = await h.CreateScheduleAsync(ScheduleHarness.EveryMinute() with { Enabled = false });
        Assert.Null(schedule.NextRunAt);

        for (var i = 0; i < 5; i++) h.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await h.Schedules().HistoryAsync(schedule.Id))!.Total);

        var enabled = await h.Schedules().SetEnabledAsync(schedule.Id, true, Actor.Admin("admin@example.com"));
        Assert.Equal(h.Time.UtcNow.AddMinutes(1), enabled.Schedule!.NextRunAt);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.WaitForHistoryAsync(schedule.Id, 1);
    }

    [Fact]
    public async Task Run_now_starts_a_run_at_once_and_refuses_while_it_is_active()
    {
        await using var h = await Store.HarnessAsync();
        var gates = new Gates();
        h.Handler.Behaviour = async (_, ct) =>
        {
            await gates.WaitAsync("hold", ct);
            return null;
        };
        var schedule = await h.CreateScheduleAsync(ScheduleHarness.EveryMinute() with { Enabled = false });

        var first = await h.Schedules().RunNowAsync(schedule.Id, Actor.Admin("admin@example.com"));
        var second = await h.Schedules().RunNowAsync(schedule.Id, Actor.Admin("admin@example.com"));

        Assert.Equal((ChangeOutcome.Ok, RunOutcome.Started, true), (first.Outcome, first.Run!.Outcome, first.Run.Manual));
        Assert.Equal(ChangeOutcome.Conflict, second.Outcome);
        Assert.StartsWith("Previous run still active", second.Message);
        Assert.Equal(2, (await h.Schedules().HistoryAsync(schedule.Id))!.Total);
        Assert.Equal(ChangeOutcome.NotFound, (await h.Schedules().RunNowAsync(Guid.NewGuid(), Actor.Admin("admin@example.com"))).Outcome);
        gates.OpenAll();
    }

    [Fact]
    public async Task A_schedule_with_a_200_character_name_starts_its_runs_under_a_shortened_name()
    {
        await using var h = await EngineHarness.CreateAsync();
        var longName = string.Concat(Enumerable.Repeat("ranking of every server ", 9))[..200];
        var schedule = await h.CreateScheduleAsync(ScheduleHarness.EveryMinute() with { Name = longName, Enabled = false });

        var run = await h.Schedules().RunNowAsync(schedule.Id, Actor.Admin("admin@example.com"));

        Assert.Equal((ChangeOutcome.Ok, RunOutcome.Started), (run.Outcome, run.Run!.Outcome));
        var batch = await h.GetAsync(run.Run.BatchId!.Value);
        Assert.Equal(200, batch.Name.Length);
        Assert.StartsWith(longName[..150], batch.Name);
        Assert.Matches(@"… · \d{4}-\d{2}-\d{2} \d{2}:\d{2}$", batch.Name);
    }

    [Fact]
    public async Task A_template_with_nothing_pending_is_a_skip_and_a_vanished_dataset_a_failed_start()
    {
        await using var h = await Store.HarnessAsync();
        var dataset = await Datasets.DatasetSelectionTests.CreateDatasetAsync(h, 1);
        var schedule = await h.CreateScheduleAsync(ScheduleHarness.EveryMinute(new CreateBatchRequest
        {
            Handler = "scripted", Source = new BatchSource { DatasetId = dataset.Id, Only = SourceRows.Pending },
        }));
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var run = (await h.WaitForHistoryAsync(schedule.Id, 1)).Items[0];
        await h.WaitForStatusAsync(run.BatchId!.Value, BatchStatus.Completed);

        h.Time.Advance(TimeSpan.FromMinutes(1));
        var nothing = (await h.WaitForHistoryAsync(schedule.Id, 2)).Items[0];
        await new DatasetSelectionTestsAccess(h).DeleteAsync(dataset.Id);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var gone = (await h.WaitForHistoryAsync(schedule.Id, 3)).Items[0];

        Assert.Equal(RunOutcome.Skipped, nothing.Outcome);
        Assert.Contains("No row is pending", nothing.Reason);
        Assert.Equal(RunOutcome.Failed, gone.Outcome);
        Assert.Contains("No dataset has this id", gone.Reason);
    }

    /// <summary>Dataset calls the scheduling tests need.</summary>
    private sealed class DatasetSelectionTestsAccess(EngineHarness h)
    {
        private DatasetService Service =>
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<DatasetService>(
                Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(h.Services).ServiceProvider);

        public async Task<DatasetView> DatasetAsync(Guid id) => (await Service.GetAsync(id))!;

        public Task<DatasetResult> DeleteAsync(Guid id) => Service.DeleteAsync(id, Actor.Admin("admin@example.com"));
    }
}
