using System.Text.Json.Nodes;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Engine;

public class GroupFailureTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in GroupFailureTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task After_failGroupAfter_failures_in_a_row_the_rest_of_that_group_is_skipped_and_other_groups_go_on()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = (item, _) => item.Group == "server-a"
            ? throw new InvalidOperationException("server a is down")
            : Task.FromResult<JsonNode?>(null);
        // a0 b0 a1 b1 … : the groups interleave.
        var batch = await h.CreateAsync(10, new OptionsInput { Concurrency = 1, MaxAttempts = 1, FailGroupAfter = 2 },
            item: i => new ItemInput($"{(i % 2 == 0 ? "a" : "b")}{i / 2}", i % 2 == 0 ? "server-a" : "server-b"));

        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        Assert.Equal((5, 2, 3), (done.Succeeded, done.Failed, done.Skipped));
        var skipped = await h.ItemsAsync(batch.Id, ItemStatus.Skipped);
        Assert.Equal(["a2", "a3", "a4"], skipped.Select(i => i.Key));
        Assert.All(skipped, i => Assert.Contains("server-a", i.Error));
        Assert.DoesNotContain(h.Handler.Calls, c => c.Key is "a2" or "a3" or "a4");
        await h.AssertCountersMatchItemsAsync(batch.Id);
    }

    [Fact]
    public async Task A_success_in_between_resets_the_count_of_failures_in_a_row()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = (item, _) => item.Key is "g0" or "g2" or "g4"
            ? throw new InvalidOperationException("flaky")
            : Task.FromResult<JsonNode?>(null);
        var batch = await h.CreateAsync(6, new OptionsInput { Concurrency = 1, MaxAttempts = 1, FailGroupAfter = 2 },
            item: i => new ItemInput($"g{i}", "only"));

        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        Assert.Equal((3, 3, 0), (done.Succeeded, done.Failed, done.Skipped));
    }
}
