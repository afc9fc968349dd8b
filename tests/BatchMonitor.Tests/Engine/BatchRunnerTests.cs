using System.Text.Json.Nodes;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Engine;

/// <summary>How one batch runs: concurrency, retries, timeouts, pacing and the outcome of every item.</summary>
public class BatchRunnerTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in BatchRunnerTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task A_batch_of_quick_items_completes_with_every_item_succeeded()
    {
        await using var h = await Store.HarnessAsync();
        var batch = await h.CreateAsync(20);

        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        Assert.Equal(20, done.Succeeded);
        Assert.Equal(1.0, done.Progress);
        Assert.NotNull(done.FinishedAt);
        await h.AssertCountersMatchItemsAsync(batch.Id);
        Assert.Equal(20, h.Handler.Calls.Count);
        var first = (await h.ItemsAsync(batch.Id))[0];
        Assert.Equal("k0", first.Result!["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task Results_and_payloads_are_stored_as_written_without_escaping()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = (item, _) => Task.FromResult<JsonNode?>(new JsonObject { ["html"] = "<b>" + item.Payload!["name"] + "</b>" });
        var batch = await h.CreateAsync(1, item: _ => new ItemInput("k", null, new JsonObject { ["name"] = "Kim & <Lee>" }));

        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        var item = (await h.ItemsAsync(batch.Id))[0];
        Assert.Equal("""{"name":"Kim & <Lee>"}""", item.PayloadJson);
        Assert.Equal("""{"html":"<b>Kim & <Lee></b>"}""", item.ResultJson);
    }

    [Fact]
    public async Task A_failed_attempt_waits_for_its_backoff_then_runs_again()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = (item, _) => item.Attempt < 3
            ? throw new ItemFailedException($"attempt {item.Attempt} failed")
            : Task.FromResult<JsonNode?>(JsonValue.Create("ok"));
        var t0 = h.Time.UtcNow;
        var batch = await h.CreateAsync(1, new OptionsInput { MaxAttempts = 3, RetryBaseDelayMs = 1000 });

        var waiting = await WaitForRetryAsync(h, batch.Id, attempts: 1);
        Assert.Equal(t0.AddSeconds(1), waiting.NextAttemptAt);
        Assert.Equal("attempt 1 failed", waiting.Error);

        h.Time.Advance(999);
        Assert.Single(h.Handler.Calls);
        h.Time.Advance(1);
        waiting = await WaitForRetryAsync(h, batch.Id, attempts: 2);
        Assert.Equal(t0.AddSeconds(1 + 2), waiting.NextAttemptAt);

        h.Time.Advance(2000);
        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        Assert.Equal(1, done.Succeeded);
        var item = (await h.ItemsAsync(batch.Id))[0];
        Assert.Equal(3, item.Attempts);
        Assert.Null(item.Error);
        Assert.Equal([1, 2, 3], h.Handler.Calls.Select(c => c.Attempt));
    }

    [Fact]
    public async Task An_item_out_of_attempts_fails_and_the_others_go_on()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = (item, _) => item.Key == "k2"
            ? throw new InvalidOperationException("bad row")
            : Task.FromResult<JsonNode?>(null);
        var batch = await h.CreateAsync(5, new OptionsInput { MaxAttempts = 2, RetryBaseDelayMs = 0 });

        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        Assert.Equal(4, done.Succeeded);
        Assert.Equal(1, done.Failed);
        var failed = Assert.Single(await h.ItemsAsync(batch.Id, ItemStatus.Failed));
        Assert.Equal("k2", failed.Key);
        Assert.Equal(2, failed.Attempts);
        Assert.Equal("InvalidOperationException: bad row", failed.Error);
        await h.AssertCountersMatchItemsAsync(batch.Id);
    }

    [Fact]
    public async Task A_final_failure_is_not_retried_whatever_attempts_are_left()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = (_, _) => throw new ItemFailedException("HTTP 404 Not Found", retryable: false);
        var batch = await h.CreateAsync(1, new OptionsInput { MaxAttempts = 5 });

        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        Assert.Equal(1, done.Failed);
        Assert.Single(h.Handler.Calls);
    }

    [Fact]
    public async Task An_attempt_longer_than_itemTimeoutMs_fails_even_if_the_handler_ignores_its_token()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = async (_, _) =>
        {
            await new TaskCompletionSource().Task; // never ends, never looks at the token
            return null;
        };
        var batch = await h.CreateAsync(1, new OptionsInput { ItemTimeoutMs = 500, MaxAttempts = 1 });
        await Wait.UntilAsync(() => h.Handler.Running == 1, "the item to start");

        h.Time.Advance(499);
        Assert.Equal(BatchStatus.Running, (await h.GetAsync(batch.Id)).Status);
        h.Time.Advance(1);

        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        Assert.Equal(1, done.Failed);
        Assert.Equal("Timed out after 500 ms.", (await h.ItemsAsync(batch.Id))[0].Error);
    }

    [Fact]
    public async Task Concurrency_8_over_2000_items_with_random_failures_keeps_counters_equal_to_the_items_table()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = async (item, _) =>
        {
            await Task.Yield();
            if (StableHash.Combine(7, item.Key, item.Attempt) % 5 == 0) throw new ItemFailedException("unlucky");
            return null;
        };
        var batch = await h.CreateAsync(2000, new OptionsInput { Concurrency = 8, MaxAttempts = 2, RetryBaseDelayMs = 0 });

        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        await h.AssertCountersMatchItemsAsync(batch.Id);
        Assert.Equal(2000, done.Succeeded + done.Failed);
        Assert.InRange(done.Failed, 1, 400);
        Assert.InRange(h.Handler.MaxConcurrent, 2, 8);
        Assert.All(h.Handler.Calls.GroupBy(c => c.Key), g => Assert.InRange(g.Count(), 1, 2));
        var succeededTwice = h.Handler.Calls.GroupBy(c => c.Key).Count(g => g.Count() == 2 && g.Last().Attempt != 2);
        Assert.Equal(0, succeededTwice);
    }

    [Fact]
    public async Task RatePerSecond_spaces_item_starts_on_the_clock()
    {
        await using var h = await Store.HarnessAsync();
        var batch = await h.CreateAsync(4, new OptionsInput { Concurrency = 4, RatePerSecond = 2 });

        await Wait.UntilAsync(() => h.Handler.Calls.Count == 1, "the first item");
        h.Time.Advance(499);
        Assert.Single(h.Handler.Calls);
        h.Time.Advance(1);
        await Wait.UntilAsync(() => h.Handler.Calls.Count == 2, "the second item half a second later");
        h.Time.Advance(500);
        await Wait.UntilAsync(() => h.Handler.Calls.Count == 3, "the third item");
        h.Time.Advance(500);
        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        Assert.Equal(4, h.Handler.Calls.Count);
    }

    [Fact]
    public async Task DelayBetweenItemsMs_pauses_after_each_item_before_the_next_one()
    {
        await using var h = await Store.HarnessAsync();
        var batch = await h.CreateAsync(3, new OptionsInput { Concurrency = 1, DelayBetweenItemsMs = 1000 });

        await Wait.UntilAsync(() => h.Handler.Calls.Count == 1, "the first item");
        await Wait.UntilAsync(async () => (await h.GetAsync(batch.Id)).Succeeded == 1, "the first item to be recorded");
        h.Time.Advance(999);
        Assert.Single(h.Handler.Calls);
        h.Time.Advance(1);
        await Wait.UntilAsync(() => h.Handler.Calls.Count == 2, "the second item a second later");
        // The clock moves only once the item is recorded (its pause starts then), else the move would come too early.
        await Wait.UntilAsync(async () => (await h.GetAsync(batch.Id)).Succeeded == 2, "the second item to be recorded");
        h.Time.Advance(1000);
        await Wait.UntilAsync(() => h.Handler.Calls.Count == 3, "the third item");
        await Wait.UntilAsync(async () => (await h.GetAsync(batch.Id)).Succeeded == 3, "the third item to be recorded");
        h.Time.Advance(1000);
        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        Assert.Equal(["k0", "k1", "k2"], h.Handler.Calls.Select(c => c.Key));
    }

    [Fact]
    public async Task A_running_item_reports_progress_and_step_to_subscribers_and_the_store()
    {
        await using var h = await Store.HarnessAsync();
        var gates = new Gates();
        // The item reports once the test listens: a report made before would be announced to nobody.
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Handler.Behaviour = async (item, ct) =>
        {
            await listening.Task.WaitAsync(ct);
            item.Report(0.5, "Halfway");
            item.Log("looked at it");
            await gates.WaitAsync(item.Key, ct);
            return null;
        };
        var seen = new TaskCompletionSource<(ItemView Item, LogLineView? Log)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var batch = await h.CreateAsync(1);
        using var subscription = h.Events.Subscribe(batch.Id, change =>
        {
            if (change.Items.FirstOrDefault(i => i.Step == "Halfway") is { } item)
                seen.TrySetResult((item, change.Logs.FirstOrDefault()));
            return Task.CompletedTask;
        });
        listening.SetResult();

        var (reported, _) = await Wait.ForAsync(seen.Task, "the progress event");
        Assert.Equal(0.5, reported.Progress);
        Assert.Equal(ItemStatus.Running, reported.Status);
        await Wait.UntilAsync(async () => (await h.ItemsAsync(batch.Id))[0].Step == "Halfway", "the step in the store");
        Assert.Equal("k0: Halfway", (await h.GetAsync(batch.Id)).CurrentStep);
        var logs = await h.Batches.LogsAsync(batch.Id);
        Assert.Contains(logs!, l => l.Message == "looked at it" && l.ItemKey == "k0");

        gates.OpenAll();
        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
    }

    [Fact]
    public async Task A_fatal_handler_error_fails_the_batch_and_cancels_what_is_left()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = (item, _) => item.Key == "k1"
            ? throw new BatchFatalException("The API key was revoked.")
            : Task.FromResult<JsonNode?>(null);
        var batch = await h.CreateAsync(10, new OptionsInput { Concurrency = 1 });

        var failed = await h.WaitForStatusAsync(batch.Id, BatchStatus.Failed);
        await Wait.UntilAsync(async () => (await h.GetAsync(batch.Id)).Running == 0, "running items to stop");

        Assert.Equal("The API key was revoked.", failed.Error);
        var final = await h.GetAsync(batch.Id);
        Assert.Equal(1, final.Succeeded);
        Assert.Equal(1, final.Failed);
        Assert.Equal(8, final.Cancelled);
        await h.AssertCountersMatchItemsAsync(batch.Id);
    }

    private static async Task<ItemView> WaitForRetryAsync(EngineHarness h, Guid batchId, int attempts)
    {
        ItemView? item = null;
        await Wait.UntilAsync(async () =>
        {
            item = (await h.ItemsAsync(batchId))[0];
            return item is { Status: ItemStatus.Pending, NextAttemptAt: not null } && item.Attempts == attempts;
        }, $"the item to wait for attempt {attempts + 1}");
        return item!;
    }
}
