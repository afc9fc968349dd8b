using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Engine;

/// <summary>How the engine picks, stops and resumes batches.</summary>
public class BatchEngineTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in BatchEngineTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task MaxRunMs_times_the_batch_out_and_cancels_what_did_not_finish()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), h.Time, ct);
            return null;
        };
        var batch = await h.CreateAsync(10, new OptionsInput { Concurrency = 2, MaxRunMs = 1000 });
        await Wait.UntilAsync(() => h.Handler.Running == 2, "two items to run");

        h.Time.Advance(999);
        Assert.Equal(BatchStatus.Running, (await h.GetAsync(batch.Id)).Status);
        h.Time.Advance(1);

        var timedOut = await h.WaitForStatusAsync(batch.Id, BatchStatus.TimedOut);
        await Wait.UntilAsync(async () => (await h.GetAsync(batch.Id)).Running == 0, "the running items to stop");
        var final = await h.GetAsync(batch.Id);
        Assert.Equal(10, final.Cancelled);
        Assert.Contains("maximum run time", timedOut.Error);
        Assert.Equal(h.Time.UtcNow, timedOut.FinishedAt);
        await h.AssertCountersMatchItemsAsync(batch.Id);
    }

    [Fact]
    public async Task Cancelling_a_running_batch_interrupts_running_items_and_cancels_pending_ones()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        };
        var batch = await h.CreateAsync(5, new OptionsInput { Concurrency = 2 });
        await Wait.UntilAsync(() => h.Handler.Running == 2, "two items to run");

        var result = await h.Batches.CancelAsync(batch.Id, Actor.Admin("admin@example.com"));

        Assert.True(result.IsOk);
        Assert.Equal(BatchStatus.Cancelled, result.Batch!.Status);
        await Wait.UntilAsync(async () => (await h.GetAsync(batch.Id)).Running == 0, "the running items to stop");
        Assert.Equal(5, (await h.GetAsync(batch.Id)).Cancelled);
        Assert.Equal(2, h.Handler.Calls.Count);
        await h.AssertCountersMatchItemsAsync(batch.Id);
        Assert.Equal(ChangeOutcome.Conflict, (await h.Batches.CancelAsync(batch.Id, Actor.Admin("admin@example.com"))).Outcome);
    }

    [Fact]
    public async Task Pause_lets_running_items_finish_and_starts_no_new_one_until_resumed()
    {
        await using var h = await Store.HarnessAsync();
        var gates = new Gates();
        h.Handler.Behaviour = async (item, ct) =>
        {
            await gates.WaitAsync(item.Key, ct);
            return null;
        };
        var batch = await h.CreateAsync(6, new OptionsInput { Concurrency = 2 });
        await Wait.UntilAsync(() => h.Handler.Running == 2, "two items to run");

        Assert.True((await h.Batches.PauseAsync(batch.Id, Actor.Admin("admin@example.com"))).IsOk);
        gates.Open("k0");
        gates.Open("k1");
        await Wait.UntilAsync(() => !h.Engine.RunningHere.Contains(batch.Id), "the runner to stop at the item boundary");

        var paused = await h.GetAsync(batch.Id);
        Assert.Equal(BatchStatus.Paused, paused.Status);
        Assert.Equal(2, paused.Succeeded);
        Assert.Equal(4, paused.Pending);
        Assert.Equal(0, paused.Running);
        Assert.Equal(2, h.Handler.Calls.Count);
        Assert.Equal(ChangeOutcome.Conflict, (await h.Batches.PauseAsync(batch.Id, Actor.Admin("admin@example.com"))).Outcome);

        gates.OpenAll();
        Assert.True((await h.Batches.ResumeAsync(batch.Id, Actor.Admin("admin@example.com"))).IsOk);
        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        Assert.Equal(6, done.Succeeded);
        Assert.Equal(6, h.Handler.Calls.Count);
    }

    [Fact]
    public async Task A_batch_waits_queued_while_another_holds_its_exclusive_key()
    {
        await using var h = await Store.HarnessAsync();
        var gates = new Gates();
        // Set before the first batch exists, so its item cannot run (and finish) before it is held: until its id is
        // known, whatever runs is the first batch's item.
        object? firstId = null; // a boxed id: one reference, read whole by the handler's thread
        h.Handler.Behaviour = async (item, ct) =>
        {
            if (firstId is not Guid id || item.BatchId == id) await gates.WaitAsync("first", ct);
            return null;
        };
        var first = await h.CreateAsync(1, new OptionsInput { ExclusiveKey = "account-7" });
        firstId = first.Id;
        await Wait.UntilAsync(() => h.Handler.Running == 1, "the first batch to run");

        var second = await h.CreateAsync(1, new OptionsInput { ExclusiveKey = "account-7" });
        var free = await h.CreateAsync(1);
        // The tick that ran the later, key-free batch looked at the older one first and left it queued.
        await h.WaitForStatusAsync(free.Id, BatchStatus.Completed);
        Assert.Equal(BatchStatus.Queued, (await h.GetAsync(second.Id)).Status);

        gates.OpenAll();
        await h.WaitForStatusAsync(first.Id, BatchStatus.Completed);
        await h.WaitForStatusAsync(second.Id, BatchStatus.Completed);
    }

    [Fact]
    public async Task Two_batches_created_at_once_with_the_same_rejecting_exclusive_key_let_exactly_one_in()
    {
        await using var h = await Store.HarnessAsync(start: false);
        for (var round = 0; round < 10; round++)
        {
            var request = new CreateBatchRequest
            {
                Handler = "scripted",
                Items = [new ItemInput("a")],
                Options = new OptionsInput { ExclusiveKey = $"account-{round}", OnConflict = ConflictPolicy.Reject },
            };
            var (first, second) = await Race.AtOnceAsync(() => h.Batches.CreateAsync(request, Actor.Admin("one")),
                () => h.Batches.CreateAsync(request, Actor.Admin("two")));

            Assert.Equal(1, new[] { first, second }.Count(r => r.IsOk));
            Assert.Contains($"account-{round}", new[] { first, second }.Single(r => !r.IsOk).Conflict);
        }
        Assert.Equal(10, (await h.Batches.ListAsync(new BatchListQuery())).Total);
    }

    [Fact]
    public async Task OnConflict_reject_refuses_a_batch_whose_key_is_held_and_stores_nothing()
    {
        await using var h = await Store.HarnessAsync(start: false);
        await h.CreateAsync(1, new OptionsInput { ExclusiveKey = "list-3" });

        var refused = await h.Batches.CreateAsync(new CreateBatchRequest
        {
            Handler = "scripted",
            Items = [new ItemInput("a")],
            Options = new OptionsInput { ExclusiveKey = "list-3", OnConflict = ConflictPolicy.Reject },
        }, Actor.Admin("test"));

        Assert.False(refused.IsOk);
        Assert.Contains("list-3", refused.Conflict);
        Assert.Equal(1, (await h.Batches.ListAsync(new BatchListQuery())).Total);
    }

    [Fact]
    public async Task Queued_batches_start_by_priority_then_age_within_the_running_cap()
    {
        await using var h = await Store.HarnessAsync(new()
        {
            MaxRunningBatches = 1, EventWindow = TimeSpan.Zero, ProgressInterval = TimeSpan.Zero,
        });
        var (blocker, gates) = await RunBlockerAsync(h);

        var low = await h.CreateAsync(1, new OptionsInput { Priority = 0 });
        h.Time.Advance(1);
        var high = await h.CreateAsync(1, new OptionsInput { Priority = 5 });
        h.Time.Advance(1);
        var lowToo = await h.CreateAsync(1, new OptionsInput { Priority = 0 });
        h.Time.Advance(1);
        var mid = await h.CreateAsync(1, new OptionsInput { Priority = 2 });
        var started = new ConcurrentQueue<Guid>();
        using var subscription = h.Events.SubscribeAll(change =>
        {
            if (change.Batch is { Status: BatchStatus.Running } b && b.Id != blocker.Id && !started.Contains(b.Id)) started.Enqueue(b.Id);
            return Task.CompletedTask;
        });
        Assert.Equal(BatchStatus.Queued, (await h.GetAsync(high.Id)).Status);

        gates.OpenAll();
        await h.WaitForStatusAsync(lowToo.Id, BatchStatus.Completed);
        Assert.Equal([high.Id, mid.Id, low.Id, lowToo.Id], started);
    }

    [Fact]
    public async Task Raising_the_priority_of_a_queued_batch_moves_it_ahead()
    {
        await using var h = await Store.HarnessAsync(new()
        {
            MaxRunningBatches = 1, EventWindow = TimeSpan.Zero, ProgressInterval = TimeSpan.Zero,
        });
        var (blocker, gates) = await RunBlockerAsync(h);
        var older = await h.CreateAsync(1);
        h.Time.Advance(1);
        var newer = await h.CreateAsync(1);

        var raised = await h.Batches.SetPriorityAsync(newer.Id, 10, Actor.Admin("admin@example.com"));
        Assert.Equal(10, raised.Batch!.Priority);
        gates.OpenAll();

        var newerDone = await h.WaitForStatusAsync(newer.Id, BatchStatus.Completed);
        var olderDone = await h.WaitForStatusAsync(older.Id, BatchStatus.Completed);
        Assert.True(newerDone.StartedAt <= olderDone.StartedAt);
        Assert.Equal(ChangeOutcome.Conflict, (await h.Batches.SetPriorityAsync(newer.Id, 1, Actor.Admin("admin@example.com"))).Outcome);
    }

    [Fact]
    public async Task Retry_failed_requeues_a_finished_batch_and_runs_only_its_failed_items()
    {
        await using var h = await Store.HarnessAsync();
        var broken = true;
        h.Handler.Behaviour = (item, _) => broken && item.Key is "k1" or "k3"
            ? throw new InvalidOperationException("down")
            : Task.FromResult<JsonNode?>(null);
        var batch = await h.CreateAsync(5, new OptionsInput { MaxAttempts = 1 });
        var first = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        Assert.Equal(2, first.Failed);

        broken = false;
        var requeued = await h.Batches.RetryFailedAsync(batch.Id, Actor.Admin("admin@example.com"));
        Assert.True(requeued.IsOk);
        Assert.Equal(2, requeued.Batch!.Pending);

        await Wait.UntilAsync(async () => (await h.GetAsync(batch.Id)) is { Status: BatchStatus.Completed, Succeeded: 5 },
            "the retried items to succeed");
        Assert.Equal(7, h.Handler.Calls.Count);
        Assert.Equal(ChangeOutcome.Conflict, (await h.Batches.RetryFailedAsync(batch.Id, Actor.Admin("admin@example.com"))).Outcome);
        await h.AssertCountersMatchItemsAsync(batch.Id);
    }

    [Fact]
    public async Task Retry_failed_keeps_the_first_start_and_counts_attempts_on_with_a_full_allowance_again()
    {
        await using var h = await EngineHarness.CreateAsync();
        var broken = true;
        // k1 fails every attempt while broken; after the retry its first attempt fails too and its second succeeds.
        var afterRetry = 0;
        h.Handler.Behaviour = (item, _) =>
        {
            if (item.Key != "k1") return Task.FromResult<JsonNode?>(null);
            if (broken || Interlocked.Increment(ref afterRetry) == 1) throw new InvalidOperationException("down");
            return Task.FromResult<JsonNode?>(null);
        };
        var batch = await h.CreateAsync(3, new OptionsInput { MaxAttempts = 2, RetryBaseDelayMs = 0 });
        var first = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        Assert.Equal(1, first.Failed);
        Assert.Equal(2, (await h.ItemsAsync(batch.Id, ItemStatus.Failed)).Single().Attempts);
        var firstStart = first.StartedAt;
        Assert.NotNull(firstStart);

        h.Time.Advance(TimeSpan.FromMinutes(5));
        broken = false;
        Assert.True((await h.Batches.RetryFailedAsync(batch.Id, Actor.Admin("admin@example.com"))).IsOk);
        // Waiting for its next attempt, the item still shows the two it made.
        var waiting = await h.GetAsync(batch.Id);
        Assert.Equal(firstStart, waiting.StartedAt);

        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        var item = (await h.ItemsAsync(batch.Id)).Single(i => i.Key == "k1");
        Assert.Equal(ItemStatus.Succeeded, item.Status);
        // Attempts 3 and 4: counted on from 2, and a fresh allowance of 2 let the second one after the retry run.
        Assert.Equal(4, item.Attempts);
        Assert.Equal([1, 2, 3, 4], h.Handler.Calls.Where(c => c.Key == "k1").Select(c => c.Attempt));
        Assert.Equal(firstStart, done.StartedAt);
        Assert.Equal(h.Time.UtcNow, done.FinishedAt);
        await h.AssertCountersMatchItemsAsync(batch.Id);
    }

    [Fact]
    public async Task A_batch_whose_handler_is_gone_fails_with_a_clear_error()
    {
        await using var database = await Store.CreateDatabaseAsync();
        Guid id;
        await using (var before = await Store.HarnessAsync(start: false, database: database))
        {
            id = (await before.CreateAsync(3)).Id;
        }
        await using var after = await Store.HarnessAsync(database: database, handler: new ScriptedHandler("other"));

        var failed = await after.WaitForStatusAsync(id, BatchStatus.Failed);

        Assert.Equal("No handler named 'scripted' is registered.", failed.Error);
        Assert.Equal(3, failed.Cancelled);
    }

    [Fact]
    public async Task After_a_crash_a_new_engine_reruns_only_the_interrupted_items_and_counts_each_item_once()
    {
        await using var database = await Store.CreateDatabaseAsync();
        var crashed = await Store.HarnessAsync(database: database);
        crashed.Handler.Behaviour = async (item, _) =>
        {
            if (item.Index >= 4) await new TaskCompletionSource().Task; // still running when the process "dies"
            return null;
        };
        var batch = await crashed.CreateAsync(10, new OptionsInput { Concurrency = 2 });
        await Wait.UntilAsync(async () => (await crashed.GetAsync(batch.Id)) is { Succeeded: 4, Running: 2 }, "4 done, 2 running");
        crashed.Abandon();

        await using var restarted = await Store.HarnessAsync(database: database);
        var done = await restarted.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        Assert.Equal(10, done.Succeeded);
        await restarted.AssertCountersMatchItemsAsync(batch.Id);
        Assert.Equal(6, restarted.Handler.Calls.Count);
        Assert.All(restarted.Handler.Calls, c => Assert.True(int.Parse(c.Key[1..]) >= 4, $"{c.Key} ran again"));
        var rerun = (await restarted.ItemsAsync(batch.Id)).Where(i => i.Index is 4 or 5);
        Assert.All(rerun, i => Assert.Equal(2, i.Attempts));
        await crashed.DisposeAsync();
    }

    [Fact]
    public async Task A_graceful_stop_gives_running_items_back_without_counting_the_attempt()
    {
        await using var database = await Store.CreateDatabaseAsync();
        Guid id;
        await using (var first = await Store.HarnessAsync(database: database))
        {
            first.Handler.Behaviour = async (_, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return null;
            };
            id = (await first.CreateAsync(4, new OptionsInput { Concurrency = 2 })).Id;
            await Wait.UntilAsync(() => first.Handler.Running == 2, "two items to run");
            await first.StopEngineAsync();

            var stopped = await first.GetAsync(id);
            Assert.Equal(BatchStatus.Running, stopped.Status);
            Assert.Equal(4, stopped.Pending);
            Assert.All(await first.ItemsAsync(id), i => Assert.Equal(0, i.Attempts));
        }

        await using var second = await Store.HarnessAsync(database: database);
        var done = await second.WaitForStatusAsync(id, BatchStatus.Completed);
        Assert.Equal(4, done.Succeeded);
        Assert.All(await second.ItemsAsync(id), i => Assert.Equal(1, i.Attempts));
    }

    [Fact]
    public async Task Only_a_finished_batch_can_be_deleted_and_its_items_go_with_it()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var batch = await h.CreateAsync(3);

        Assert.Equal(ChangeOutcome.Conflict, (await h.Batches.DeleteAsync(batch.Id, Actor.Admin("admin@example.com"))).Outcome);
        await h.Batches.CancelAsync(batch.Id, Actor.Admin("admin@example.com"));
        Assert.True((await h.Batches.DeleteAsync(batch.Id, Actor.Admin("admin@example.com"))).IsOk);

        Assert.Null(await h.Batches.GetAsync(batch.Id));
        Assert.Null(await h.Batches.ItemsAsync(batch.Id, new ItemQuery()));
        Assert.Equal(0, (await h.CountItemsAsync(batch.Id)).Values.Sum());
        Assert.Equal(ChangeOutcome.NotFound, (await h.Batches.DeleteAsync(batch.Id, Actor.Admin("admin@example.com"))).Outcome);
    }

    [Fact]
    public async Task A_clone_is_a_new_queued_batch_with_the_same_items_and_options()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var batch = await h.CreateAsync(3, new OptionsInput { Concurrency = 3, Priority = 4 },
            item: i => new ItemInput($"row-{i}", "g1", JsonValue.Create(i)));

        var clone = (await h.Batches.CloneAsync(batch.Id, Actor.Admin("someone else")))!.Batch!;

        Assert.NotEqual(batch.Id, clone.Id);
        Assert.Equal(BatchStatus.Queued, clone.Status);
        Assert.Equal(3, clone.Total);
        Assert.Equal(3, clone.Pending);
        Assert.Equal(batch.Options, clone.Options);
        Assert.EndsWith("(copy)", clone.Name);
        var items = await h.ItemsAsync(clone.Id);
        Assert.Equal(["row-0", "row-1", "row-2"], items.Select(i => i.Key));
        Assert.All(items, i => Assert.Equal("g1", i.Group));
        await h.AssertCountersMatchItemsAsync(clone.Id);
    }


    /// <summary>A one-item batch that holds the only running slot until its gate "blocker" opens.</summary>
    private static async Task<(BatchMonitor.Core.Views.BatchView Blocker, Gates Gates)> RunBlockerAsync(EngineHarness h)
    {
        var gates = new Gates();
        var blocker = await h.CreateAsync(1);
        h.Handler.Behaviour = async (item, ct) =>
        {
            if (item.BatchId == blocker.Id) await gates.WaitAsync("blocker", ct);
            return null;
        };
        await Wait.UntilAsync(() => h.Handler.Running == 1, "the blocker to run");
        return (blocker, gates);
    }
}
