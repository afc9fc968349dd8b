using System.Text.Json.Nodes;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Scheduling;

/// <summary>The two scheduled systems our users built by hand, reproduced end to end on the fake clock.</summary>
public class SeedScenarioTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in SeedScenarioTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    /// <summary>
    /// Seed 003: every minute, process the pending to-dos of one list; stop by itself after 15 minutes; an item
    /// that fails is skipped and the run goes on; never two runs for the same list at once.
    /// </summary>
    [Fact]
    public async Task Every_minute_over_the_pending_todos_stopping_after_15_minutes_with_a_failing_item_skipped()
    {
        await using var h = await Store.HarnessAsync();
        var todos = await CreateDatasetAsync(h, "list 7", Enumerable.Range(1, 30).Select(i => new ItemInput($"todo-{i:D2}")).ToList());
        var firstRun = Guid.Empty;
        h.Handler.Behaviour = async (item, ct) =>
        {
            lock (todos) if (firstRun == Guid.Empty) firstRun = item.BatchId;
            if (item.Key == "todo-05") throw new ItemFailedException("the to-do's link is broken", retryable: false);
            if (item.Key == "todo-06" && item.BatchId == firstRun) await Task.Delay(Timeout.Infinite, ct); // a slow one
            return new JsonObject { ["done"] = true };
        };
        var schedule = await h.CreateScheduleAsync(new ScheduleInput
        {
            Name = "list 7 to-dos", Cron = "0 * * * * ?",
            Batch = new CreateBatchRequest
            {
                Handler = "scripted",
                Source = new BatchSource { DatasetId = todos.Id, Only = SourceRows.Pending },
                Options = new OptionsInput { MaxRunMs = 15 * 60_000, MaxAttempts = 1, ItemTimeoutMs = 3_600_000, ExclusiveKey = "list-7" },
            },
        });

        h.Time.Advance(TimeSpan.FromMinutes(1)); // 09:01
        var first = (await h.WaitForHistoryAsync(schedule.Id, 1)).Items[0];
        await Wait.UntilAsync(async () => (await h.GetAsync(first.BatchId!.Value)) is { Succeeded: 4, Failed: 1, Running: 1 },
            "to-dos 1–4 done, 5 failed and skipped, 6 still running");

        await h.AdvanceMinutesAsync(schedule.Id, 14); // 09:02 … 09:15: the run is still going
        var waiting = await h.Schedules().HistoryAsync(schedule.Id, limit: 100);
        Assert.Equal([RunOutcome.Skipped, RunOutcome.Started], waiting!.Items.Select(r => r.Outcome));
        Assert.EndsWith("Skipped 14 fires in a row since 2026-03-02 09:02:00.", waiting.Items[0].Reason);

        await h.AdvanceMinutesAsync(schedule.Id, 1); // 09:16: fifteen minutes are up
        var stopped = await h.WaitForStatusAsync(first.BatchId!.Value, BatchStatus.TimedOut);
        await Wait.UntilAsync(async () => (await h.GetAsync(stopped.Id)).Running == 0, "the slow to-do to stop");
        Assert.Equal((4, 1, 25), ((await h.GetAsync(stopped.Id)).Succeeded, (await h.GetAsync(stopped.Id)).Failed,
            (await h.GetAsync(stopped.Id)).Cancelled));

        var second = (await h.Schedules().HistoryAsync(schedule.Id))!.Items[0];
        Assert.Equal(RunOutcome.Started, second.Outcome);
        var secondBatch = await h.WaitForStatusAsync(second.BatchId!.Value, BatchStatus.Completed);
        Assert.Equal(26, secondBatch.Total); // to-do 5 (failed) and 6–30 (never finished)
        Assert.Equal((25, 1), (secondBatch.Succeeded, secondBatch.Failed));
        Assert.True(secondBatch.StartedAt >= stopped.FinishedAt, "never two runs for the same list at once");

        var list = (await Datasets(h).GetAsync(todos.Id))!;
        Assert.Equal((29, 1, 0), (list.Succeeded, list.Failed, list.NeverProcessed));
    }

    /// <summary>
    /// Seed 004: every ten minutes, rank every character row, grouped by server; a failing row or server does not
    /// stop the others; 3 attempts with 60·2ⁿ s backoff; a history of runs with processed and failed counts.
    /// </summary>
    [Fact]
    public async Task Every_ten_minutes_over_grouped_rows_with_three_attempts_and_exponential_backoff()
    {
        await using var h = await Store.HarnessAsync();
        var rows = Enumerable.Range(0, 12).Select(i => new ItemInput($"s{i / 4 + 1}-char{i % 4 + 1}", $"server-{i / 4 + 1}")).ToList();
        var characters = await CreateDatasetAsync(h, "characters", rows);
        var attempts = new List<(string Key, int Attempt, DateTime At)>();
        h.Handler.Behaviour = (item, _) =>
        {
            lock (attempts) attempts.Add((item.Key, item.Attempt, item.Time.GetUtcNow().UtcDateTime));
            return item.Key switch
            {
                "s2-char1" when item.Attempt < 3 => throw new ItemFailedException("ranking service busy"),
                "s3-char2" => throw new ItemFailedException("character deleted"),
                _ => Task.FromResult<JsonNode?>(new JsonObject { ["rank"] = item.Index + 1 }),
            };
        };
        var schedule = await h.CreateScheduleAsync(new ScheduleInput
        {
            Name = "ranking", Cron = "0 */10 * * * ?", TimeZone = "Asia/Seoul",
            Batch = new CreateBatchRequest
            {
                Handler = "scripted",
                Source = new BatchSource { DatasetId = characters.Id, Only = SourceRows.All },
                Options = new OptionsInput { Concurrency = 4, MaxAttempts = 3, RetryBaseDelayMs = 60_000 },
            },
        });

        for (var run = 1; run <= 2; run++)
        {
            var fireAt = h.Time.UtcNow.AddMinutes(10 - h.Time.UtcNow.Minute % 10);
            h.Time.Advance(fireAt - h.Time.UtcNow - TimeSpan.FromMinutes(1));
            h.Time.Advance(TimeSpan.FromMinutes(1)); // 09:10, then 09:20
            var started = (await h.WaitForHistoryAsync(schedule.Id, run)).Items[0];
            Assert.Equal((RunOutcome.Started, fireAt), (started.Outcome, started.FireAt));
            var batchId = started.BatchId!.Value;

            await WaitForAttemptsAsync(h, batchId, 1);
            h.Time.Advance(TimeSpan.FromMinutes(1)); // 60·2⁰ s later: the second attempts
            await WaitForAttemptsAsync(h, batchId, 2);
            h.Time.Advance(TimeSpan.FromMinutes(2)); // 60·2¹ s later: the third and last
            var done = await h.WaitForStatusAsync(batchId, BatchStatus.Completed);

            Assert.Equal((11, 1), (done.Succeeded, done.Failed));
            var busy = attempts.Where(a => a.Key == "s2-char1" && a.At >= fireAt).Select(a => a.At - fireAt);
            Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(180)], busy);
            var groups = await h.Batches.GroupCountsAsync(batchId);
            Assert.Equal(["server-1", "server-2", "server-3"], groups.Select(g => g.Group));
            Assert.Equal((4, 3, 1), (groups[2].Total, groups[2].Succeeded, groups[2].Failed));
        }

        var history = (await h.Schedules().HistoryAsync(schedule.Id))!;
        Assert.Equal((2, 0, 0), (history.Started, history.Skipped, history.Failed));
        Assert.All(history.Items, r => Assert.Equal((11, 1), (r.Batch!.Succeeded, r.Batch.Failed)));
        Assert.Equal(180, history.MeanDurationSeconds);
        Assert.Equal(0, history.SuccessRate); // each run had a failed row
        var ranked = (await Datasets(h).RowsAsync(characters.Id, new DatasetRowQuery()))!.Items;
        Assert.Equal(ItemStatus.Failed, ranked.Single(r => r.Key == "s3-char2").LastStatus);
        Assert.Equal(11, ranked.Count(r => r.LastStatus == ItemStatus.Succeeded));
    }

    private static Task WaitForAttemptsAsync(EngineHarness h, Guid batchId, int attempts) =>
        Wait.UntilAsync(async () =>
        {
            var retrying = await h.ItemsAsync(batchId, ItemStatus.Pending);
            return retrying.Count == 2 && retrying.All(i => i.Attempts == attempts && i.NextAttemptAt != null);
        }, $"the two failing rows to wait after attempt {attempts}");

    private static DatasetService Datasets(EngineHarness h) => h.Services.CreateScope().ServiceProvider.GetRequiredService<DatasetService>();

    private static async Task<DatasetView> CreateDatasetAsync(EngineHarness h, string name, List<ItemInput> rows)
    {
        var result = await Datasets(h).CreateAsync(name, rows, Actor.Admin("test"));
        Assert.True(result.IsOk, result.Errors?.ToString());
        return result.Dataset!;
    }
}
