using System.Data.Common;
using System.Text.Json.Nodes;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Services;

/// <summary>
/// Batch search (?q=) from the index: names, item keys, item errors and results, ignoring case, on both providers; and
/// the index follows every write (finish, retry, delete). On SQLite the FTS5 tables are checked against their content
/// with FTS5's own integrity check after each step.
/// </summary>
public class BatchSearchTests
{
    /// <summary>SQLite here, PostgreSQL in BatchSearchTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task Search_finds_a_batch_by_its_name_an_item_key_an_item_error_and_an_item_result_ignoring_case()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = (item, _) => item.Key switch
        {
            "acct-7" => throw new InvalidOperationException("Quota exceeded at the remote end"),
            "acct-3" => Task.FromResult<JsonNode?>(new JsonObject { ["city"] = "Reykjavik" }),
            _ => Task.FromResult<JsonNode?>(null),
        };
        var mixed = await CreateAsync(h, "Nightly Ledger", ["acct-3", "acct-7", "Zebra-Crossing"]);
        await h.WaitForStatusAsync(mixed, BatchStatus.Completed);
        var other = await CreateAsync(h, "weekly", ["acct-1", "acct-2"]);
        await h.WaitForStatusAsync(other, BatchStatus.Completed);

        Assert.Equal([mixed], await FindAsync(h, "nightly LEDGER"));
        Assert.Equal([mixed], await FindAsync(h, "zebra-cross"));
        Assert.Equal([mixed], await FindAsync(h, "QUOTA EXCEEDED"));
        Assert.Equal([mixed], await FindAsync(h, "reykjavik"));
        Assert.Equal([other, mixed], await FindAsync(h, "acct-"));
        Assert.Equal([other, mixed], await FindAsync(h, "ct")); // shorter than a trigram: a scan, same answer
        Assert.Empty(await FindAsync(h, "quota exceeded nowhere"));
        Assert.Empty(await FindAsync(h, "acct_")); // LIKE's wildcards are plain characters
        var (page, counts) = await h.Batches.ListWithCountsAsync(new BatchListQuery { Text = "remote end" });
        Assert.Equal((1, 1, 1), (page.Total, counts.ByStatus[BatchStatus.Completed], counts.CompletedWithFailures));
        await AssertIndexInStepAsync(h);
    }

    [Fact]
    public async Task The_index_follows_a_retry_that_clears_the_error_and_a_delete_that_removes_the_items()
    {
        await using var h = await Store.HarnessAsync();
        var fail = true;
        h.Handler.Behaviour = (item, _) => fail && item.Key == "k1"
            ? throw new InvalidOperationException("timeout after 30 s")
            : Task.FromResult<JsonNode?>(new JsonObject { ["done"] = item.Key + "-ok" });
        var batch = await h.CreateAsync(3, new OptionsInput { MaxAttempts = 1 });
        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        Assert.Equal([batch.Id], await FindAsync(h, "timeout after"));
        Assert.Empty(await FindAsync(h, "k1-ok"));
        await AssertIndexInStepAsync(h);

        fail = false;
        Assert.True((await h.Batches.RetryFailedAsync(batch.Id, Actor.Admin("t"))).IsOk);
        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);
        Assert.Empty(await FindAsync(h, "timeout after"));
        Assert.Equal([batch.Id], await FindAsync(h, "k1-ok"));
        await AssertIndexInStepAsync(h);

        Assert.True((await h.Batches.DeleteAsync(batch.Id, Actor.Admin("t"))).IsOk);
        Assert.Empty(await FindAsync(h, "k1-ok"));
        Assert.Empty(await FindAsync(h, "k2"));
        await AssertIndexInStepAsync(h);
        if (!Store.IsPostgres)
        {
            await using var connection = await h.Database.OpenAsync();
            Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM item_keys_search WHERE item_keys_search MATCH '\"k2\" OR \"k0\"'"));
            Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM item_outcomes_search WHERE item_outcomes_search MATCH '\"-ok\"'"));
        }
    }

    [Fact]
    public async Task A_clone_and_a_cancel_are_searchable_by_their_keys_and_reasons()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var source = await CreateAsync(h, "source", ["needle-42"]);
        var clone = (await h.Batches.CloneAsync(source, Actor.Admin("t")))!.Batch!.Id;
        Assert.Equal([clone, source], await FindAsync(h, "NEEDLE-4"));
        Assert.True((await h.Batches.CancelAsync(clone, Actor.Admin("t"))).IsOk);
        Assert.Equal(BatchStatus.Cancelled, (await h.Batches.GetAsync(clone))!.Status);
        await AssertIndexInStepAsync(h);
    }

    [Fact]
    public async Task A_word_the_items_of_big_and_small_batches_share_finds_every_one_of_them()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var big = 3 * ItemSearchSkipScan.Run;
        var batches = new List<Guid>();
        for (var b = 0; b < 12; b++)
        {
            var size = b % 4 == 1 ? big : 3;
            batches.Add(await CreateAsync(h, $"run {b}", [.. Enumerable.Range(0, size).Select(i => $"shared-{b}-{i:000}")]));
        }
        var other = await CreateAsync(h, "other", ["unrelated"]);
        var clone = (await h.Batches.CloneAsync(batches[5], Actor.Admin("t")))!.Batch!.Id;

        var all = await h.Batches.ListAsync(new BatchListQuery { Text = "SHARED-", Limit = 100 });
        Assert.Equal(13, all.Total);
        Assert.Equal([.. batches.Append(clone).Order()], all.Items.Select(b => b.Id).Order());
        Assert.DoesNotContain(other, all.Items.Select(b => b.Id));
        Assert.Equal([batches[7]], await FindAsync(h, "shared-7-"));
        Assert.Equal([clone, batches[5]], await FindAsync(h, $"shared-5-{big - 1}"));
        if (!Store.IsPostgres)
        {
            // What skipping a batch's items relies on: they have consecutive ids in index order, a clone's too.
            await using var connection = await h.Database.OpenAsync();
            foreach (var id in new[] { batches[1], batches[5], clone })
            {
                var batchId = $"'{SqlValues.SqliteId(id)}'";
                Assert.Equal(0L, await ScalarAsync(connection,
                    $"SELECT COUNT(*) FROM batch_items WHERE batch_id = {batchId} " +
                    $"AND id - item_index <> (SELECT MIN(id) FROM batch_items WHERE batch_id = {batchId})"));
            }
        }
    }

    [Fact]
    public async Task Big_batches_found_by_their_names_are_passed_over_and_the_batches_between_and_after_them_are_still_found()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var size = 3 * ItemSearchSkipScan.Run;
        string[] Keys(string prefix) => [.. Enumerable.Range(0, size).Select(i => $"{prefix}-{i:000}")];
        var named0 = await CreateAsync(h, "alpha 0", Keys("alpha-0"));
        var named1 = await CreateAsync(h, "alpha 1", Keys("alpha-1"));
        var between = await CreateAsync(h, "plain", ["alpha-between"]);
        var named2 = await CreateAsync(h, "alpha 2", Keys("alpha-2"));
        var byKeys = await CreateAsync(h, "by keys", Keys("alpha-3"));
        var after = await CreateAsync(h, "tail", ["alpha-tail"]);
        var other = await CreateAsync(h, "other", ["unrelated"]);

        Assert.Equal([.. new[] { named0, named1, between, named2, byKeys, after }.Order()], (await FindAsync(h, "ALPHA")).Order());
        Assert.Equal([between], await FindAsync(h, "alpha-between"));
        Assert.DoesNotContain(other, await FindAsync(h, "alpha"));
    }

    [Fact]
    public async Task A_big_batch_whose_items_are_not_side_by_side_is_read_through_so_the_batch_between_them_is_found_too()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var size = 3 * ItemSearchSkipScan.Run;
        var first = await CreateAsync(h, "first", [.. Enumerable.Range(0, size).Select(i => $"apple-{i:000}")]);
        var between = await CreateAsync(h, "between", ["apple-between"]);
        // An item written to the first batch after the second batch's: the first batch's ids now span the second's.
        await using (var connection = await h.Database.OpenAsync())
        {
            var batchId = SqlValues.Id(connection, first);
            await ExecuteAsync(connection, $"""
                INSERT INTO batch_items (batch_id, item_index, item_key, status, attempts, progress)
                VALUES (@batch, {size}, 'apple-late', 'pending', 0, 0)
                """, batchId);
            await ExecuteAsync(connection, $"UPDATE batches SET total = {size + 1}, pending = {size + 1} WHERE id = @batch", batchId);
        }

        Assert.Equal([between, first], await FindAsync(h, "apple-"));
        Assert.Equal([first], await FindAsync(h, "apple-late"));
        await AssertIndexInStepAsync(h);
    }

    private static async Task<Guid> CreateAsync(EngineHarness h, string name, string[] keys)
    {
        var created = await h.Batches.CreateAsync(new CreateBatchRequest
        {
            Name = name, Handler = h.Handler.Name, Items = keys.Select(k => new ItemInput(k)).ToList(),
            Options = new OptionsInput { MaxAttempts = 1 },
        }, Actor.Admin("t"));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        return created.Batch!.Id;
    }

    private static async Task<List<Guid>> FindAsync(EngineHarness h, string text) =>
        (await h.Batches.ListAsync(new BatchListQuery { Text = text })).Items.Select(b => b.Id).ToList();

    /// <summary>FTS5's integrity check compares an external-content index with its content table and fails on any difference.</summary>
    private async Task AssertIndexInStepAsync(EngineHarness h)
    {
        if (Store.IsPostgres) return;
        await using var connection = await h.Database.OpenAsync();
        foreach (var table in new[] { "item_keys_search", "item_outcomes_search" })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)";
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, object batchId)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@batch";
        parameter.Value = batchId;
        command.Parameters.Add(parameter);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
