using System.Text.Json.Nodes;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Engine;

/// <summary>A failure is logged once, by the engine, with its error: never a second line from the handler saying the same.</summary>
public class FailureLogTests
{
    /// <summary>SQLite here, PostgreSQL in FailureLogTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    private static readonly JsonObject AlwaysFails = new() { ["minMs"] = 0, ["maxMs"] = 0, ["steps"] = 2, ["failureRate"] = 1.0 };

    [Fact]
    public async Task A_demo_item_that_fails_for_good_writes_one_error_line_with_the_error()
    {
        await using var h = await Store.HarnessAsync();
        var batch = await h.CreateAsync(3, new OptionsInput { MaxAttempts = 1 }, handler: "demo", args: AlwaysFails.DeepClone().AsObject());
        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        var lines = (await h.Batches.LogsAsync(batch.Id))!;
        var items = await h.ItemsAsync(batch.Id);
        Assert.Equal(3, lines.Count);
        foreach (var item in items)
        {
            var line = Assert.Single(lines, l => l.ItemKey == item.Key);
            Assert.Equal(LogLevels.Error, line.Level);
            Assert.StartsWith("Simulated failure while", item.Error);
            Assert.Contains(item.Error!, line.Message);
        }
    }

    [Fact]
    public async Task Each_failed_attempt_of_a_demo_item_is_one_line_a_warning_then_the_error()
    {
        await using var h = await Store.HarnessAsync();
        var batch = await h.CreateAsync(1, new OptionsInput { MaxAttempts = 2, RetryBaseDelayMs = 0 }, handler: "demo",
            args: AlwaysFails.DeepClone().AsObject());
        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        var lines = (await h.Batches.LogsAsync(batch.Id))!;
        Assert.Equal([LogLevels.Warning, LogLevels.Error], lines.Select(l => l.Level));
        Assert.All(lines, l => Assert.Contains("Simulated failure while", l.Message));
        Assert.StartsWith("Attempt 1 of 2 failed: ", lines[0].Message);
        Assert.StartsWith("Failed after 2 attempt(s): ", lines[1].Message);
    }
}
