using System.Text.Json.Nodes;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Datasets;

/// <summary>Which rows a batch over a dataset takes: a page, the pending ones, a selection.</summary>
public class DatasetSelectionTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in DatasetSelectionTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task Page_2_at_50_per_page_is_exactly_rows_51_to_100_in_order()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var dataset = await CreateDatasetAsync(h, 500);

        var batch = await CreateFromAsync(h, new BatchSource { DatasetId = dataset.Id, Page = 2, PageSize = 50 });

        var keys = (await h.ItemsAsync(batch.Id)).Select(i => i.Key).ToList();
        Assert.Equal(Enumerable.Range(51, 50).Select(Key), keys);
        Assert.Equal(dataset.Id, batch.DatasetId);
        Assert.Equal("accounts · page 2 (rows 51–100)", batch.Name);
    }

    [Fact]
    public async Task The_last_page_of_an_uneven_dataset_holds_only_the_rows_left()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var dataset = await CreateDatasetAsync(h, 510);

        var batch = await CreateFromAsync(h, new BatchSource { DatasetId = dataset.Id, Page = 11, PageSize = 50 });

        Assert.Equal(Enumerable.Range(501, 10).Select(Key), (await h.ItemsAsync(batch.Id)).Select(i => i.Key));
    }

    [Theory]
    [InlineData(12, 50, "source.page", "Page 12 is beyond the last page (11) at 50 rows per page.")]
    [InlineData(0, 50, "source.page", "Pages are numbered from 1.")]
    [InlineData(1, 0, "source.pageSize", "pageSize must be between 1 and 1000.")]
    public async Task A_page_outside_the_dataset_is_refused_and_nothing_is_stored(int page, int pageSize, string field, string message)
    {
        await using var h = await Store.HarnessAsync(start: false);
        var dataset = await CreateDatasetAsync(h, 510);

        var result = await h.Batches.CreateAsync(Request(new BatchSource { DatasetId = dataset.Id, Page = page, PageSize = pageSize }), Actor.Admin("t"));

        Assert.Equal([message], result.Errors!.For(field));
        Assert.Equal(0, (await h.Batches.ListAsync(new BatchListQuery())).Total);
    }

    [Fact]
    public async Task Pending_takes_rows_never_processed_or_failed_last_time_only()
    {
        await using var h = await Store.HarnessAsync();
        var dataset = await CreateDatasetAsync(h, 10);
        h.Handler.Behaviour = (item, _) => item.Key == Key(2) ? throw new InvalidOperationException("no") : Task.FromResult<JsonNode?>(null);
        var first = await CreateFromAsync(h, new BatchSource { DatasetId = dataset.Id, Only = SourceRows.Selected, Keys = [Key(1), Key(2), Key(3)] },
            new OptionsInput { MaxAttempts = 1 });
        await h.WaitForStatusAsync(first.Id, BatchStatus.Completed);

        var pending = await CreateFromAsync(h, new BatchSource { DatasetId = dataset.Id, Only = SourceRows.Pending });

        var keys = (await h.ItemsAsync(pending.Id)).Select(i => i.Key);
        Assert.Equal(new[] { 2, 4, 5, 6, 7, 8, 9, 10 }.Select(Key), keys);
    }

    [Fact]
    public async Task Pending_leaves_out_rows_another_active_batch_still_holds_until_that_batch_ends()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var dataset = await CreateDatasetAsync(h, 10);
        var page1 = await CreateFromAsync(h, new BatchSource { DatasetId = dataset.Id, Page = 1, PageSize = 4 });

        var pending = await CreateFromAsync(h, new BatchSource { DatasetId = dataset.Id, Only = SourceRows.Pending });
        Assert.Equal(Enumerable.Range(5, 6).Select(Key), (await h.ItemsAsync(pending.Id)).Select(i => i.Key));

        // Every pending row is now held by one of the two queued batches.
        var none = await h.Batches.CreateAsync(Request(new BatchSource { DatasetId = dataset.Id, Only = SourceRows.Pending }), Actor.Admin("t"));
        Assert.True(none.NothingToDo);

        await h.Batches.CancelAsync(page1.Id, Actor.Admin("admin@example.com"));
        var again = await CreateFromAsync(h, new BatchSource { DatasetId = dataset.Id, Only = SourceRows.Pending });
        Assert.Equal(Enumerable.Range(1, 4).Select(Key), (await h.ItemsAsync(again.Id)).Select(i => i.Key));
    }

    [Fact]
    public async Task Selected_keys_must_all_be_in_the_dataset()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var dataset = await CreateDatasetAsync(h, 10);

        var result = await h.Batches.CreateAsync(Request(new BatchSource
        {
            DatasetId = dataset.Id, Only = SourceRows.Selected, Keys = [Key(1), "ghost"],
        }), Actor.Admin("t"));

        Assert.Equal(["Not in the dataset: 'ghost'."], result.Errors!.For("source.keys"));
    }

    [Fact]
    public async Task Items_and_a_source_together_or_an_unknown_dataset_are_refused()
    {
        await using var h = await Store.HarnessAsync(start: false);

        var both = await h.Batches.CreateAsync(Request(new BatchSource { DatasetId = Guid.NewGuid() }) with { Items = [new("a")] }, Actor.Admin("t"));
        var unknown = await h.Batches.CreateAsync(Request(new BatchSource { DatasetId = Guid.NewGuid() }), Actor.Admin("t"));

        Assert.NotEmpty(both.Errors!.For("source"));
        Assert.Equal(["No dataset has this id."], unknown.Errors!.For("source.datasetId"));
    }

    internal static string Key(int n) => $"acct-{n:D3}";

    internal static async Task<DatasetView> CreateDatasetAsync(EngineHarness h, int rows, Func<int, string?>? group = null)
    {
        var datasets = h.Services.CreateScope().ServiceProvider.GetRequiredService<DatasetService>();
        var result = await datasets.CreateAsync("accounts",
            Enumerable.Range(1, rows).Select(n => new ItemInput(Key(n), group?.Invoke(n))).ToList(), Actor.Admin("t"));
        Assert.True(result.IsOk, result.Errors?.ToString());
        return result.Dataset!;
    }

    internal static async Task<BatchMonitor.Core.Views.BatchView> CreateFromAsync(EngineHarness h, BatchSource source, OptionsInput? options = null)
    {
        var result = await h.Batches.CreateAsync(Request(source) with { Options = options }, Actor.Admin("t"));
        Assert.True(result.IsOk, result.Errors?.ToString());
        return result.Batch!;
    }

    private static CreateBatchRequest Request(BatchSource source) => new() { Handler = "scripted", Source = source };
}
