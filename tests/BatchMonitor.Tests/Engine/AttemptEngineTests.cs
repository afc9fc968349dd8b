using System.Text.Json.Nodes;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Attempts;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Engine;

/// <summary>The attempts the engine leaves behind, and running one item again.</summary>
public class AttemptEngineTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in AttemptEngineTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    private static async Task<IReadOnlyList<AttemptView>> AttemptsAsync(EngineHarness h, Guid id, int index)
    {
        await using var scope = h.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<AttemptService>().ListAsync(id, index))!.Items;
    }

    [Fact]
    public async Task An_item_that_fails_then_succeeds_has_a_failed_attempt_with_its_stack_and_a_succeeded_one_on_this_node()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = (item, _) => item.Attempt == 1
            ? throw new InvalidOperationException("flaky upstream")
            : Task.FromResult<JsonNode?>(null);
        var batch = await h.CreateAsync(1, new OptionsInput { MaxAttempts = 3, RetryBaseDelayMs = 0 });
        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        var attempts = await AttemptsAsync(h, batch.Id, 0);
        Assert.Equal([(1, "failed"), (2, "succeeded")], attempts.Select(a => (a.Attempt, a.Outcome)));
        Assert.All(attempts, a => Assert.Equal("test-node", a.Node));
        Assert.Equal("InvalidOperationException: flaky upstream", attempts[0].Error);
        Assert.Contains("System.InvalidOperationException: flaky upstream", attempts[0].Detail);
        Assert.Contains(" at ", attempts[0].Detail);
        Assert.Null(attempts[1].Error);
        await h.AssertCountersMatchItemsAsync(batch.Id);
    }

    [Fact]
    public async Task An_item_cancelled_while_it_runs_has_a_cancelled_attempt()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        };
        var batch = await h.CreateAsync(1);
        await Wait.UntilAsync(() => h.Handler.Running == 1, "the item to run");
        Assert.True((await h.Batches.CancelAsync(batch.Id, Actor.Admin("admin@example.com"))).IsOk);
        await Wait.UntilAsync(async () => (await h.GetAsync(batch.Id)).Running == 0, "the running item to stop");

        var attempt = Assert.Single(await AttemptsAsync(h, batch.Id, 0));
        Assert.Equal(("cancelled", 1), (attempt.Outcome, attempt.Attempt));
        await h.AssertCountersMatchItemsAsync(batch.Id);
    }

    [Fact]
    public async Task After_a_crash_the_interrupted_attempt_is_kept_before_the_one_that_ran_again()
    {
        await using var database = await Store.CreateDatabaseAsync();
        var crashed = await Store.HarnessAsync(database: database);
        crashed.Handler.Behaviour = async (_, _) =>
        {
            await new TaskCompletionSource().Task; // still running when the process "dies"
            return null;
        };
        var batch = await crashed.CreateAsync(1);
        await Wait.UntilAsync(async () => (await crashed.GetAsync(batch.Id)).Running == 1, "the item to run");
        crashed.Abandon();

        await using var restarted = await Store.HarnessAsync(database: database);
        await restarted.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        var attempts = await AttemptsAsync(restarted, batch.Id, 0);
        Assert.Equal([(1, "interrupted"), (2, "succeeded")], attempts.Select(a => (a.Attempt, a.Outcome)));
        Assert.Contains("the server stopped", attempts[0].Error);
        await restarted.AssertCountersMatchItemsAsync(batch.Id);
        await crashed.DisposeAsync();
    }

    [Fact]
    public async Task Retrying_one_failed_item_of_a_completed_batch_runs_the_batch_again_until_it_completes()
    {
        await using var h = await Store.HarnessAsync();
        var broken = true;
        h.Handler.Behaviour = (item, _) => broken && item.Key == "k1"
            ? throw new InvalidOperationException("down")
            : Task.FromResult<JsonNode?>(null);
        var batch = await h.CreateAsync(3, new OptionsInput { MaxAttempts = 2, RetryBaseDelayMs = 0 });
        var first = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        Assert.Equal(1, first.Failed);

        broken = false;
        var retried = await h.Batches.RetryItemAsync(batch.Id, 1, Actor.Admin("admin@example.com"));
        Assert.True(retried.IsOk, retried.Message);
        Assert.Equal((BatchStatus.Queued, 1, 0), (retried.Batch!.Status, retried.Batch.Pending, retried.Batch.Failed));
        await h.AssertCountersMatchItemsAsync(batch.Id);

        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        Assert.Equal((3, 0), (done.Succeeded, done.Failed));
        Assert.Equal(first.StartedAt, done.StartedAt);
        Assert.Equal([(1, "failed"), (2, "failed"), (3, "succeeded")], (await AttemptsAsync(h, batch.Id, 1)).Select(a => (a.Attempt, a.Outcome)));
        await h.AssertCountersMatchItemsAsync(batch.Id);
    }

    [Fact]
    public async Task Retrying_one_item_is_refused_for_an_item_that_did_not_fail_or_is_not_there_and_for_a_viewer()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = (item, _) => item.Key == "k1"
            ? throw new ItemFailedExceptionForTests()
            : Task.FromResult<JsonNode?>(null);
        var batch = await h.CreateAsync(2, new OptionsInput { MaxAttempts = 1 });
        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        var admin = Actor.Admin("admin@example.com");

        var succeeded = await h.Batches.RetryItemAsync(batch.Id, 0, admin);
        Assert.Equal(ChangeOutcome.Conflict, succeeded.Outcome);
        Assert.Contains("succeeded", succeeded.Message);
        Assert.Equal(ChangeResult.ItemNotFound, await h.Batches.RetryItemAsync(batch.Id, 9, admin));
        Assert.Equal(ChangeOutcome.NotFound, (await h.Batches.RetryItemAsync(Guid.NewGuid(), 0, admin)).Outcome);
        Assert.Equal(ChangeOutcome.Forbidden, (await h.Batches.RetryItemAsync(batch.Id, 1, Actor.Viewer("viewer@example.com"))).Outcome);

        // Nothing moved: the batch is still completed with its failed item.
        var stored = await h.GetAsync(batch.Id);
        Assert.Equal((BatchStatus.Completed, 1, 0), (stored.Status, stored.Failed, stored.Pending));
        await h.AssertCountersMatchItemsAsync(batch.Id);
    }

    private sealed class ItemFailedExceptionForTests() : Exception("no");
}
