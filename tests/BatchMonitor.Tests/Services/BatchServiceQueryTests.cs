using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Services;

public class BatchServiceQueryTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in BatchServiceQueryTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task Search_text_ignores_case_in_batch_names_item_keys_and_dataset_rows_on_every_provider()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var batch = (await h.Batches.CreateAsync(new CreateBatchRequest
        {
            Name = "Nightly ACCOUNTS", Handler = "scripted", Items = [new ItemInput("Alice"), new ItemInput("bob")],
        }, Actor.Admin("t"))).Batch!;
        var datasets = h.Services.GetRequiredService<Core.Datasets.DatasetService>();
        var dataset = (await datasets.CreateAsync("people", [new ItemInput("Carol"), new ItemInput("dave")], Actor.Admin("t"))).Dataset!;

        Assert.Equal([batch.Id], (await h.Batches.ListAsync(new BatchListQuery { Text = "nightly accounts" })).Items.Select(b => b.Id));
        Assert.Equal([batch.Id], (await h.Batches.ListAsync(new BatchListQuery { Text = "ALICE" })).Items.Select(b => b.Id));
        Assert.Equal(["Alice"], (await h.Batches.ItemsAsync(batch.Id, new ItemQuery { Text = "aLiCe" }))!.Items.Select(i => i.Key));
        Assert.Equal(["Carol"], (await datasets.RowsAsync(dataset.Id, new Core.Datasets.DatasetRowQuery { Text = "CAROL" }))!.Items.Select(r => r.Key));
    }

    [Fact]
    public async Task The_list_filters_by_status_handler_and_text_and_pages_in_order()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var ids = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            var r = await h.Batches.CreateAsync(new CreateBatchRequest
            {
                Name = i % 2 == 0 ? $"collect page {i}" : $"keywords {i}", Handler = i < 5 ? "demo" : "scripted",
                Items = [new ItemInput($"acct-{i}")],
            }, Actor.Admin("t"));
            ids.Add(r.Batch!.Id);
            h.Time.Advance(1000);
        }
        await h.Batches.CancelAsync(ids[1], Actor.Admin("admin@example.com"));

        var page = await h.Batches.ListAsync(new BatchListQuery { Limit = 3, Offset = 0 });
        Assert.Equal(7, page.Total);
        Assert.Equal([ids[6], ids[5], ids[4]], page.Items.Select(b => b.Id));

        var byName = await h.Batches.ListAsync(new BatchListQuery { OrderBy = "name", Descending = false, Text = "collect" });
        Assert.Equal(["collect page 0", "collect page 2", "collect page 4", "collect page 6"], byName.Items.Select(b => b.Name));

        Assert.Equal([ids[3]], (await h.Batches.ListAsync(new BatchListQuery { Text = "acct-3" })).Items.Select(b => b.Id));
        Assert.Equal(2, (await h.Batches.ListAsync(new BatchListQuery { Handler = "scripted" })).Total);
        Assert.Equal([ids[1]],
            (await h.Batches.ListAsync(new BatchListQuery { Statuses = [BatchStatus.Cancelled] })).Items.Select(b => b.Id));

        var counts = await h.Batches.CountByStatusAsync();
        Assert.Equal(6, counts[BatchStatus.Queued]);
        Assert.Equal(1, counts[BatchStatus.Cancelled]);
        Assert.Equal(0, counts[BatchStatus.Running]);
    }

    [Fact]
    public async Task The_list_search_finds_a_batch_by_the_error_text_of_one_of_its_items()
    {
        await using var h = await EngineHarness.CreateAsync();
        h.Handler.Behaviour = (item, _) => item.Key == "k7"
            ? throw new InvalidOperationException("quota exceeded at the remote end")
            : Task.FromResult<System.Text.Json.Nodes.JsonNode?>(null);
        var failing = await h.CreateAsync(10, new OptionsInput { MaxAttempts = 1 });
        await h.WaitForStatusAsync(failing.Id, BatchStatus.Completed);
        h.Handler.Behaviour = (_, _) => Task.FromResult<System.Text.Json.Nodes.JsonNode?>(null);
        var clean = await h.CreateAsync(10);
        await h.WaitForStatusAsync(clean.Id, BatchStatus.Completed);
        Assert.Null((await h.Batches.GetAsync(failing.Id))!.Error);

        var found = await h.Batches.ListAsync(new BatchListQuery { Text = "QUOTA exceeded" });
        Assert.Equal([failing.Id], found.Items.Select(b => b.Id));
        Assert.Equal(1, (await h.Batches.CountByStatusAsync(text: "quota exceeded"))[BatchStatus.Completed]);
        Assert.Empty((await h.Batches.ListAsync(new BatchListQuery { Text = "quota exceeded nowhere" })).Items);
    }

    [Theory]
    [InlineData("running,bogus", null, null, null, "status")]
    [InlineData(null, "-size", null, null, "orderBy")]
    [InlineData(null, null, 0, null, "limit")]
    [InlineData(null, null, 501, null, "limit")]
    [InlineData(null, null, null, -1, "offset")]
    public void Bad_list_parameters_are_named(string? status, string? orderBy, int? limit, int? offset, string field)
    {
        var errors = BatchListQuery.TryParse(status, null, null, orderBy, limit, offset, out _);
        Assert.NotEmpty(errors.For(field));
    }

    [Fact]
    public void List_parameters_parse_into_a_query()
    {
        var errors = BatchListQuery.TryParse("running, queued", "demo", " page ", "-progress", 20, 40, out var query);
        Assert.True(errors.IsValid);
        Assert.Equal([BatchStatus.Running, BatchStatus.Queued], query.Statuses);
        Assert.Equal(("progress", true, "-progress"), (query.OrderBy, query.Descending, query.OrderByText));
        Assert.Equal(("demo", "page", 20, 40), (query.Handler, query.Text, query.Limit, query.Offset));
    }

    [Fact]
    public async Task Items_filter_by_status_and_key_and_logs_tail_the_newest_lines()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = (item, _) =>
        {
            item.Log($"line for {item.Key}");
            return item.Key.EndsWith('3') ? throw new InvalidOperationException("no") : Task.FromResult<System.Text.Json.Nodes.JsonNode?>(null);
        };
        var batch = await h.CreateAsync(40, new BatchMonitor.Core.Services.OptionsInput { MaxAttempts = 1 });
        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        var failed = await h.Batches.ItemsAsync(batch.Id, new ItemQuery { Statuses = [ItemStatus.Failed] });
        Assert.Equal(["k3", "k13", "k23", "k33"], failed!.Items.Select(i => i.Key));
        var page = await h.Batches.ItemsAsync(batch.Id, new ItemQuery { Text = "k1", Limit = 5, Offset = 5 });
        Assert.Equal(11, page!.Total);
        Assert.Equal(["k14", "k15", "k16", "k17", "k18"], page.Items.Select(i => i.Key));

        var tail = await h.Batches.LogsAsync(batch.Id, limit: 3, tail: true);
        Assert.Equal(3, tail!.Count);
        Assert.True(tail[0].Seq < tail[1].Seq && tail[1].Seq < tail[2].Seq);
        var all = await h.Batches.LogsAsync(batch.Id, limit: 1000);
        Assert.Equal(tail.Select(l => l.Seq), all!.TakeLast(3).Select(l => l.Seq));
        var after = await h.Batches.LogsAsync(batch.Id, afterSeq: all![^2].Seq);
        Assert.Equal([all[^1].Seq], after!.Select(l => l.Seq));
        Assert.Equal(4, (await h.Batches.RecentErrorsAsync(10)).Count);
    }

    [Fact]
    public async Task Export_streams_every_item_in_order_and_stats_count_them_per_minute()
    {
        await using var h = await Store.HarnessAsync();
        h.Handler.Behaviour = (item, _) => item.Index % 10 == 0
            ? throw new InvalidOperationException("no")
            : Task.FromResult<System.Text.Json.Nodes.JsonNode?>(null);
        var batch = await h.CreateAsync(250, new BatchMonitor.Core.Services.OptionsInput { MaxAttempts = 1, Concurrency = 4 });
        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        var exported = new List<int>();
        await foreach (var item in h.Batches.ExportAsync(batch.Id)) exported.Add(item.Index);
        Assert.Equal(Enumerable.Range(0, 250), exported);

        var stats = await h.Batches.StatsAsync(TimeSpan.FromHours(1));
        Assert.Equal((225, 25), (stats.Succeeded, stats.Failed));
        Assert.Equal(1, stats.Batches["completed"]);
        var handler = Assert.Single(stats.Handlers);
        Assert.Equal(("scripted", 225, 25), (handler.Handler, handler.Succeeded, handler.Failed));
        var minute = Assert.Single(stats.Minutes);
        Assert.Equal(250, minute.Succeeded + minute.Failed);
    }
}
