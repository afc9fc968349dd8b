using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Engine;

/// <summary>What the engine's writer announces after its transactions.</summary>
public class EngineWriterTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in EngineWriterTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task The_batch_announced_with_an_outcome_carries_a_priority_changed_while_it_ran()
    {
        await using var h = await Store.HarnessAsync();
        var gates = new Gates();
        h.Handler.Behaviour = async (item, ct) =>
        {
            await gates.WaitAsync(item.Key, ct);
            return null;
        };
        var batch = await h.CreateAsync(3, new OptionsInput { Concurrency = 1 });
        // The first claim is written and announced: the writer has read the batch once, with priority 0.
        await Wait.UntilAsync(() => h.Handler.Running == 1, "the first item to run");
        Assert.True((await h.Batches.SetPriorityAsync(batch.Id, 7, Actor.Admin("admin@example.com"))).IsOk);

        var announced = new TaskCompletionSource<BatchView>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = h.Events.Subscribe(batch.Id, change =>
        {
            if (change.Batch is { Succeeded: 1 } view) announced.TrySetResult(view);
            return Task.CompletedTask;
        });
        gates.Open("k0");

        var view = await Wait.ForAsync(announced.Task, "the batch announced with the first outcome");
        Assert.Equal(7, view.Priority);
        Assert.Equal(7, view.Options.Priority);
        Assert.Equal(1, view.Succeeded);
        Assert.Equal(2, view.Pending + view.Running);
        gates.OpenAll();
        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        Assert.Equal(7, done.Priority);
    }

    [Fact]
    public async Task The_counters_announced_after_each_outcome_are_those_committed()
    {
        await using var h = await Store.HarnessAsync();
        var gates = new Gates();
        h.Handler.Behaviour = async (item, ct) =>
        {
            await gates.WaitAsync(item.Key, ct);
            return null;
        };
        var batch = await h.CreateAsync(3, new OptionsInput { Concurrency = 1 });
        var announced = new System.Collections.Concurrent.ConcurrentQueue<BatchView>();
        using var subscription = h.Events.Subscribe(batch.Id, change =>
        {
            if (change.Batch is { } view) announced.Enqueue(view);
            return Task.CompletedTask;
        });

        for (var i = 0; i < 3; i++)
        {
            await Wait.UntilAsync(() => h.Handler.Running == 1, $"item {i} to run");
            gates.Open($"k{i}");
            var succeeded = i + 1;
            await Wait.UntilAsync(() => announced.Any(v => v.Succeeded == succeeded), $"the outcome of item {i} announced");
            var stored = await h.GetAsync(batch.Id);
            var view = announced.Last(v => v.Succeeded == succeeded);
            Assert.Equal(succeeded, stored.Succeeded);
            Assert.Equal((double)succeeded / 3, view.Progress, 6);
            Assert.Equal(3 - succeeded, view.Pending + view.Running);
        }
        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        await h.AssertCountersMatchItemsAsync(batch.Id);
    }
}
