using System.Text.Json.Nodes;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Services;

/// <summary>The batch list's filters, keyset paging and bulk actions over everything a filter matches, on both providers.</summary>
public class BatchListTests
{
    /// <summary>SQLite here, PostgreSQL in BatchListTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task The_failures_filter_finds_completed_batches_that_have_failed_items_apart_from_failed_batches()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = (item, _) => item.Key == "k2"
            ? throw new InvalidOperationException("no")
            : Task.FromResult<JsonNode?>(null);
        var withFailures = await h.CreateAsync(4, new OptionsInput { MaxAttempts = 1 });
        await h.WaitForStatusAsync(withFailures.Id, BatchStatus.Completed);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var clean = await h.CreateAsync(2);
        await h.WaitForStatusAsync(clean.Id, BatchStatus.Completed);

        Assert.Equal([withFailures.Id], await IdsAsync(h, new BatchListQuery { Failures = true }));
        Assert.Equal([withFailures.Id],
            await IdsAsync(h, new BatchListQuery { Statuses = [BatchStatus.Completed], Failures = true }));
        Assert.Equal([clean.Id], await IdsAsync(h, new BatchListQuery { Failures = false }));
        Assert.Empty(await IdsAsync(h, new BatchListQuery { Statuses = [BatchStatus.Failed] }));
        var (page, counts) = await h.Batches.ListWithCountsAsync(new BatchListQuery { Statuses = [BatchStatus.Completed], Failures = true });
        Assert.Equal((1, 2, 0, 1), (page.Total, counts.ByStatus[BatchStatus.Completed], counts.ByStatus[BatchStatus.Failed], counts.CompletedWithFailures));

        var failed = await h.Batches.ItemsAsync(withFailures.Id, new ItemQuery { Statuses = [ItemStatus.Failed] });
        Assert.Equal((1, "k2"), (failed!.Total, Assert.Single(failed.Items).Key));
        Assert.Equal(4, (await h.Batches.ItemsAsync(withFailures.Id, new ItemQuery { Limit = 1 }))!.Total);
    }

    [Theory]
    [InlineData("createdAt", true)]
    [InlineData("createdAt", false)]
    [InlineData("progress", true)]
    [InlineData("name", false)]
    [InlineData("priority", true)]
    public async Task Keyset_pages_return_every_batch_once_while_batches_are_added(string orderBy, bool descending)
    {
        await using var h = await Store.HarnessAsync(start: false);
        var before = new List<Guid>();
        for (var i = 0; i < 11; i++)
        {
            before.Add(await CreateAsync(h, $"batch {i % 4}", i % 3));
            // Pairs share a creation time: the id breaks the tie.
            if (i % 2 == 1) h.Time.Advance(TimeSpan.FromSeconds(1));
        }
        var query = new BatchListQuery { OrderBy = orderBy, Descending = descending, Limit = 4 };
        var expected = await IdsAsync(h, query with { Limit = 100 });
        Assert.Equal(before.Order(), expected.Order());

        var seen = new List<Guid>();
        Guid? after = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await h.Batches.ListAsync(query with { After = after });
            seen.AddRange(page.Items.Select(b => b.Id));
            if (page.Items.Count < query.Limit) break;
            after = page.Items[^1].Id;
            // Batches added between pages: newer, or first by name or priority; none may push a row onto the next page twice.
            await CreateAsync(h, "a new batch", 5);
        }
        Assert.Equal(expected, seen.Where(before.Contains).ToList());
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Keyset_paging_is_refused_for_orders_with_empty_values_and_for_a_bad_cursor()
    {
        Assert.NotEmpty(BatchListQuery.TryParse(null, null, null, "startedAt", null, null, null, Guid.NewGuid().ToString(), out _).For("after"));
        Assert.NotEmpty(BatchListQuery.TryParse(null, null, null, null, null, null, null, "nope", out _).For("after"));
        Assert.NotEmpty(BatchListQuery.TryParse(null, null, null, null, null, null, "maybe", null, out _).For("failures"));
        var errors = BatchListQuery.TryParse("completed", null, null, null, null, null, "true", null, out var query);
        Assert.True(errors.IsValid);
        Assert.True(query.Failures);
        await using var h = await Store.HarnessAsync(start: false);
        Assert.Empty((await h.Batches.ListAsync(new BatchListQuery { After = Guid.NewGuid() })).Items);
    }

    [Fact]
    public async Task A_bulk_action_applies_to_every_batch_the_filter_matches_on_every_page_and_only_for_an_admin()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var nightly = new List<Guid>();
        for (var i = 0; i < 7; i++) nightly.Add(await CreateAsync(h, $"nightly {i}", 0));
        var other = await CreateAsync(h, "weekly", 0);
        var filter = new BatchListQuery { Text = "NIGHTLY", Limit = 2 };

        Assert.Equal(7, await h.Batches.CountMatchingAsync(BulkAction.Cancel, filter));
        Assert.Equal(0, await h.Batches.CountMatchingAsync(BulkAction.Delete, filter));
        var refused = await h.Batches.ApplyToMatchingAsync(BulkAction.Cancel, filter, Actor.Viewer("v"));
        Assert.True(refused.Forbidden);
        Assert.Equal(8, (await h.Batches.CountByStatusAsync())[BatchStatus.Queued]);

        var cancelled = await h.Batches.ApplyToMatchingAsync(BulkAction.Cancel, filter, Actor.Admin("a"));
        Assert.Equal((false, 7, 7, (string?)null), (cancelled.Forbidden, cancelled.Matched, cancelled.Changed, cancelled.FirstRefusal));
        Assert.Equal(BatchStatus.Queued, (await h.Batches.GetAsync(other))!.Status);
        foreach (var id in nightly) Assert.Equal(BatchStatus.Cancelled, (await h.Batches.GetAsync(id))!.Status);

        var deleteFilter = filter with { Statuses = [BatchStatus.Cancelled] };
        Assert.Equal(7, await h.Batches.CountMatchingAsync(BulkAction.Delete, deleteFilter));
        Assert.Equal(7, (await h.Batches.ApplyToMatchingAsync(BulkAction.Delete, deleteFilter, Actor.Admin("a"))).Changed);
        Assert.Equal([other], await IdsAsync(h, new BatchListQuery()));
    }

    /// <summary>"Every batch where an item failed with 'timeout' this week": the search, the failures filter and the creation time together.</summary>
    [Fact]
    public async Task Created_after_keeps_the_batches_of_the_time_asked_for_with_the_other_filters_and_the_bulk_actions()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = (item, _) => item.Key == "k1"
            ? throw new ItemFailedException("upstream timeout after 30 s")
            : Task.FromResult<JsonNode?>(null);
        var lastMonth = await h.CreateAsync(3, new OptionsInput { MaxAttempts = 1 });
        await h.WaitForStatusAsync(lastMonth.Id, BatchStatus.Completed);
        h.Time.Advance(TimeSpan.FromDays(20));
        var thisWeek = await h.CreateAsync(3, new OptionsInput { MaxAttempts = 1 });
        await h.WaitForStatusAsync(thisWeek.Id, BatchStatus.Completed);
        h.Handler.Behaviour = (_, _) => Task.FromResult<JsonNode?>(null);
        var clean = await h.CreateAsync(3);
        await h.WaitForStatusAsync(clean.Id, BatchStatus.Completed);
        var weekAgo = h.Time.UtcNow.AddDays(-7);

        var query = new BatchListQuery { Text = "timeout", Failures = true, CreatedAfter = weekAgo };
        Assert.Equal([thisWeek.Id], await IdsAsync(h, query));
        Assert.Equal(new[] { lastMonth.Id, thisWeek.Id }.Order(), (await IdsAsync(h, query with { CreatedAfter = null })).Order());
        var (page, counts) = await h.Batches.ListWithCountsAsync(new BatchListQuery { CreatedAfter = weekAgo });
        Assert.Equal((2, 2), (page.Total, counts.ByStatus[BatchStatus.Completed]));
        Assert.Equal(1, await h.Batches.CountMatchingAsync(BulkAction.Delete, new BatchListQuery { Failures = true, CreatedAfter = weekAgo }));

        var errors = BatchListQuery.TryParse(null, null, null, null, null, null, null, null, "last tuesday", out _);
        Assert.NotEmpty(errors.For("createdAfter"));
        Assert.True(BatchListQuery.TryParse(null, null, null, null, null, null, null, null, "2026-11-24T09:00:00+09:00", out var parsed).IsValid);
        Assert.Equal(new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc), parsed.CreatedAfter);
        Assert.Equal(DateTimeKind.Utc, parsed.CreatedAfter!.Value.Kind);
    }

    private static async Task<Guid> CreateAsync(EngineHarness h, string name, int priority)
    {
        var created = await h.Batches.CreateAsync(new CreateBatchRequest
        {
            Name = name, Handler = h.Handler.Name, Items = [new ItemInput("k")], Options = new OptionsInput { Priority = priority },
        }, Actor.Admin("t"));
        Assert.True(created.IsOk);
        return created.Batch!.Id;
    }

    private static async Task<List<Guid>> IdsAsync(EngineHarness h, BatchListQuery query) =>
        (await h.Batches.ListAsync(query)).Items.Select(b => b.Id).ToList();
}
