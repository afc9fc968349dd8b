using System.Text.Json.Nodes;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static BatchMonitor.Tests.Datasets.DatasetSelectionTests;

namespace BatchMonitor.Tests.Datasets;

/// <summary>How a batch's outcomes reach its dataset's rows.</summary>
public class DatasetOutcomeTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in DatasetOutcomeTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task Each_row_takes_its_items_final_outcome_as_the_item_finishes()
    {
        await using var h = await Store.HarnessAsync();
        var dataset = await CreateDatasetAsync(h, 6);
        var gates = new Gates();
        h.Handler.Behaviour = async (item, ct) =>
        {
            if (item.Key == Key(6)) await gates.WaitAsync("last", ct);
            return item.Key == Key(2) ? throw new ItemFailedExceptionFor(item.Key) : new JsonObject { ["followers"] = item.Index };
        };
        var batch = await CreateFromAsync(h, new BatchSource { DatasetId = dataset.Id }, new OptionsInput { MaxAttempts = 1 });

        await Wait.UntilAsync(async () => (await RowsAsync(h, dataset.Id)).Count(r => r.LastStatus != null) == 5, "five rows to take outcomes");
        var rows = await RowsAsync(h, dataset.Id);
        Assert.Equal(ItemStatus.Succeeded, rows[0].LastStatus);
        Assert.Equal(0, rows[0].LastResult!["followers"]!.GetValue<int>());
        Assert.Equal(batch.Id, rows[0].LastBatchId);
        Assert.NotNull(rows[0].LastProcessedAt);
        Assert.Equal(ItemStatus.Failed, rows[1].LastStatus);
        Assert.Equal("no acct-002", rows[1].LastError);
        Assert.Null(rows[5].LastStatus); // still running: nothing published yet

        await h.Batches.CancelAsync(batch.Id, Actor.Admin("admin@example.com"));
        await Wait.UntilAsync(async () => (await h.GetAsync(batch.Id)).Running == 0, "the last item to stop");
        Assert.Null((await RowsAsync(h, dataset.Id))[5].LastStatus); // a cancelled item leaves its row pending
        var view = await Datasets(h).GetAsync(dataset.Id);
        Assert.Equal((1, 4, 1, 2), (view!.NeverProcessed, view.Succeeded, view.Failed, view.Pending));
    }

    [Fact]
    public async Task OnSuccess_publishes_nothing_when_an_item_failed()
    {
        await using var h = await Store.HarnessAsync();
        var dataset = await CreateDatasetAsync(h, 5);
        h.Handler.Behaviour = (item, _) => item.Key == Key(3) ? throw new InvalidOperationException("no") : Task.FromResult<JsonNode?>(null);

        var batch = await CreateFromAsync(h, new BatchSource { DatasetId = dataset.Id },
            new OptionsInput { MaxAttempts = 1, PublishResults = PublishPolicy.OnSuccess });
        var done = await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        Assert.Equal(1, done.Failed);
        Assert.All(await RowsAsync(h, dataset.Id), r => Assert.Null(r.LastStatus));
    }

    [Fact]
    public async Task OnSuccess_publishes_every_row_at_once_when_nothing_failed()
    {
        await using var h = await Store.HarnessAsync();
        var dataset = await CreateDatasetAsync(h, 5);
        var gates = new Gates();
        h.Handler.Behaviour = async (item, ct) =>
        {
            if (item.Key == Key(5)) await gates.WaitAsync("last", ct);
            return JsonValue.Create(item.Key.ToUpperInvariant());
        };
        var batch = await CreateFromAsync(h, new BatchSource { DatasetId = dataset.Id },
            new OptionsInput { PublishResults = PublishPolicy.OnSuccess });

        await Wait.UntilAsync(async () => (await h.GetAsync(batch.Id)).Succeeded == 4, "four items to succeed");
        Assert.All(await RowsAsync(h, dataset.Id), r => Assert.Null(r.LastStatus));
        gates.OpenAll();
        await h.WaitForStatusAsync(batch.Id, BatchStatus.Completed);

        var rows = await RowsAsync(h, dataset.Id);
        Assert.All(rows, r => Assert.Equal(ItemStatus.Succeeded, r.LastStatus));
        Assert.All(rows, r => Assert.Equal(batch.Id, r.LastBatchId));
        Assert.Equal("ACCT-004", rows[3].LastResult!.GetValue<string>());
    }

    private static DatasetService Datasets(EngineHarness h) => h.Services.CreateScope().ServiceProvider.GetRequiredService<DatasetService>();

    private static async Task<IReadOnlyList<DatasetRowView>> RowsAsync(EngineHarness h, Guid id) =>
        (await Datasets(h).RowsAsync(id, new DatasetRowQuery { PageSize = 1000 }))!.Items;

    private sealed class ItemFailedExceptionFor(string key)
        : BatchMonitor.Core.Handlers.ItemFailedException($"no {key}", retryable: false);
}
