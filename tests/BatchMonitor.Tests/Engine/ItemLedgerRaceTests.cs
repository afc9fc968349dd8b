using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Scheduling;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Engine;

/// <summary>
/// Two moves of the same batch released at the same instant, many times over: whichever wins, the batch ends in a
/// legal status and its counters equal its items table.
/// </summary>
public class ItemLedgerRaceTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in ItemLedgerRaceTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    private const int Rounds = 25;
    private static readonly Actor Admin = Actor.Admin("test");

    [Fact]
    public async Task Cancel_racing_the_last_items_completion_ends_completed_or_cancelled_with_counters_equal_to_items()
    {
        await using var h = await Store.HarnessAsync();
        var gates = GatedHandler(h);
        for (var round = 0; round < Rounds; round++)
        {
            var batch = await CreateAsync(h, round, 1);
            await Wait.UntilAsync(() => h.Handler.CallsFor(Key(round, 0)) == 1, "the last item to run");

            var (cancel, _) = await Race.AtOnceAsync(() => h.Batches.CancelAsync(batch.Id, Admin), () => gates.Open(Key(round, 0)));

            var final = await SettledAsync(h, batch.Id, BatchStatus.Completed, BatchStatus.Cancelled);
            Assert.Equal(cancel.IsOk, final.Status == BatchStatus.Cancelled);
            Assert.Equal(1, final.Succeeded + final.Cancelled);
            await LedgerAssert.CountersMatchItemsAsync(h, batch.Id);
        }
    }

    [Fact]
    public async Task Two_pauses_at_once_pause_the_batch_once_and_the_other_is_refused()
    {
        await using var h = await Store.HarnessAsync();
        var gates = GatedHandler(h);
        for (var round = 0; round < Rounds; round++)
        {
            var batch = await CreateAsync(h, round, 4, concurrency: 2);
            await Wait.UntilAsync(() => h.Handler.CallsFor(Key(round, 0)) + h.Handler.CallsFor(Key(round, 1)) == 2, "two items to run");

            var (first, second) = await Race.AtOnceAsync(() => h.Batches.PauseAsync(batch.Id, Admin), () => h.Batches.PauseAsync(batch.Id, Admin));

            Assert.Equal(1, new[] { first, second }.Count(r => r.IsOk));
            Assert.Equal(ChangeOutcome.Conflict, (first.IsOk ? second : first).Outcome);
            OpenRound(gates, round, 4);
            var paused = await SettledAsync(h, batch.Id, BatchStatus.Paused);
            Assert.Equal(2, paused.Succeeded);
            Assert.Equal(2, paused.Pending);
            await LedgerAssert.CountersMatchItemsAsync(h, batch.Id);

            Assert.True((await h.Batches.CancelAsync(batch.Id, Admin)).IsOk);
            LedgerAssert.LegalFinal(await SettledAsync(h, batch.Id, BatchStatus.Cancelled), BatchStatus.Cancelled);
            await LedgerAssert.CountersMatchItemsAsync(h, batch.Id);
        }
    }

    [Fact]
    public async Task Resume_racing_cancel_ends_cancelled_whichever_goes_first()
    {
        await using var h = await Store.HarnessAsync();
        var gates = GatedHandler(h);
        for (var round = 0; round < Rounds; round++)
        {
            var batch = await CreateAsync(h, round, 5, concurrency: 1);
            await Wait.UntilAsync(() => h.Handler.CallsFor(Key(round, 0)) == 1, "the first item to run");
            Assert.True((await h.Batches.PauseAsync(batch.Id, Admin)).IsOk);
            gates.Open(Key(round, 0));
            await SettledAsync(h, batch.Id, BatchStatus.Paused);

            var (resume, cancel) = await Race.AtOnceAsync(() => h.Batches.ResumeAsync(batch.Id, Admin), () => h.Batches.CancelAsync(batch.Id, Admin));

            Assert.True(cancel.IsOk, cancel.Message);
            Assert.True(resume.IsOk || resume.Outcome == ChangeOutcome.Conflict);
            var final = await SettledAsync(h, batch.Id, BatchStatus.Cancelled);
            Assert.Equal((1, 4), (final.Succeeded, final.Cancelled));
            await LedgerAssert.CountersMatchItemsAsync(h, batch.Id);
            OpenRound(gates, round, 5);
        }
    }

    [Fact]
    public async Task Retry_failed_while_items_still_run_ends_completed_with_every_item_succeeded()
    {
        await using var h = await Store.HarnessAsync();
        var gates = new Gates();
        h.Handler.Behaviour = async (item, ct) =>
        {
            // The first two items of a round fail their first call; the others wait for their gate.
            if (item.Key.EndsWith("-0", StringComparison.Ordinal) || item.Key.EndsWith("-1", StringComparison.Ordinal))
            {
                if (h.Handler.CallsFor(item.Key) == 1) throw new InvalidOperationException("first call fails");
                return null;
            }
            await gates.WaitAsync(item.Key, ct);
            return null;
        };
        for (var round = 0; round < Rounds; round++)
        {
            var batch = await CreateAsync(h, round, 4, concurrency: 4, maxAttempts: 1);
            var r = round;
            await Wait.UntilAsync(async () => (await h.GetAsync(batch.Id)) is { Failed: 2, Running: 2 }, "two failed and two running");

            var (retry, _) = await Race.AtOnceAsync(() => h.Batches.RetryFailedAsync(batch.Id, Admin), () => OpenRound(gates, r, 4));

            Assert.True(retry.IsOk, retry.Message);
            var final = await SettledAsync(h, batch.Id, BatchStatus.Completed);
            Assert.Equal(4, final.Succeeded);
            await LedgerAssert.CountersMatchItemsAsync(h, batch.Id);
        }
    }

    [Fact]
    public async Task Run_now_racing_the_clocks_fire_of_the_same_schedule_starts_exactly_one_run()
    {
        await using var h = await Store.HarnessAsync();
        var gates = GatedHandler(h);
        var schedule = await h.CreateScheduleAsync(ScheduleHarness.EveryMinute());
        var started = new HashSet<Guid>();
        for (var round = 0; round < Rounds; round++)
        {
            var fireAt = (await h.Schedules().GetAsync(schedule.Id))!.NextRunAt!.Value;

            var (runNow, _) = await Race.AtOnceAsync(() => h.Schedules().RunNowAsync(schedule.Id, Admin),
                () => h.Time.SetUtcNow(new DateTimeOffset(fireAt, TimeSpan.Zero)));
            await Wait.UntilAsync(async () => (await h.Schedules().GetAsync(schedule.Id))!.NextRunAt > fireAt, "the clock's fire to be handled");

            var runs = (await h.Batches.ListAsync(new BatchListQuery { Limit = 100 })).Items
                .Where(b => b.ScheduleId == schedule.Id && !started.Contains(b.Id)).ToList();
            var run = Assert.Single(runs);
            started.Add(run.Id);
            Assert.True(runNow.Outcome is ChangeOutcome.Ok or ChangeOutcome.Conflict);
            Assert.Equal(runNow.Outcome == ChangeOutcome.Ok, runNow.Run!.BatchId == run.Id);

            Assert.True((await h.Batches.CancelAsync(run.Id, Admin)).IsOk);
            LedgerAssert.LegalFinal(await SettledAsync(h, run.Id, BatchStatus.Cancelled), BatchStatus.Cancelled);
            await LedgerAssert.CountersMatchItemsAsync(h, run.Id);
        }
        gates.OpenAll();
    }

    private static string Key(int round, int index) => $"{round}-{index}";

    private static Gates GatedHandler(EngineHarness h)
    {
        var gates = new Gates();
        h.Handler.Behaviour = async (item, ct) =>
        {
            await gates.WaitAsync(item.Key, ct);
            return null;
        };
        return gates;
    }

    private static void OpenRound(Gates gates, int round, int count)
    {
        for (var i = 0; i < count; i++) gates.Open(Key(round, i));
    }

    private static Task<BatchView> CreateAsync(EngineHarness h, int round, int count, int concurrency = 1, int? maxAttempts = null) =>
        h.CreateAsync(count, new OptionsInput { Concurrency = concurrency, MaxAttempts = maxAttempts }, item: i => new ItemInput(Key(round, i)));

    /// <summary>
    /// Waits, reading the store, until the batch is in one of the statuses, no runner holds it and nothing of it
    /// runs; checks it is a legal rest.
    /// </summary>
    private static async Task<BatchView> SettledAsync(EngineHarness h, Guid id, params BatchStatus[] statuses)
    {
        BatchView? batch = null;
        await Wait.UntilAsync(async () => !h.Engine.RunningHere.Contains(id) && (batch = await h.GetAsync(id)) is { Running: 0 }
                                          && statuses.Contains(batch.Status),
            $"the batch to settle in {string.Join(" or ", statuses)} (it is {batch?.Status}, {batch?.Running} running)");
        LedgerAssert.LegalFinal(batch!, statuses);
        return batch!;
    }
}
