using System.Text.Json.Nodes;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Datasets;

public class DatasetServiceTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in DatasetServiceTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task A_dataset_keeps_rows_in_order_with_groups_and_payloads_and_pages_them()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var datasets = Datasets(h);
        var created = await datasets.CreateAsync(" characters ",
            Enumerable.Range(1, 120).Select(i => new ItemInput($"char-{i}", i % 3 == 0 ? "siel" : "luna", JsonValue.Create(i))).ToList(), Actor.Admin("me"));

        var page = await datasets.RowsAsync(created.Dataset!.Id, new DatasetRowQuery { Page = 3, PageSize = 50 });
        var siel = await datasets.RowsAsync(created.Dataset.Id, new DatasetRowQuery { Group = "siel", PageSize = 5 });
        var search = await datasets.RowsAsync(created.Dataset.Id, new DatasetRowQuery { Text = "char-11" });

        Assert.Equal(("characters", 120), (created.Dataset.Name, created.Dataset.RowCount));
        Assert.Equal((120, 3), (page!.Total, page.PageCount));
        Assert.Equal(Enumerable.Range(101, 20).Select(i => $"char-{i}"), page.Items.Select(r => r.Key));
        Assert.Equal(103, page.Items[2].Payload!.GetValue<int>());
        Assert.Equal((40, "char-3"), (siel!.Total, siel.Items[0].Key));
        Assert.Equal(["char-11", "char-110", "char-111", "char-112", "char-113", "char-114", "char-115", "char-116", "char-117", "char-118", "char-119"],
            search!.Items.Select(r => r.Key));
        Assert.Equal(["luna", "siel"], await datasets.GroupsAsync(created.Dataset.Id));
    }

    [Fact]
    public async Task Appending_adds_rows_at_the_end_and_refuses_keys_already_there()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var datasets = Datasets(h);
        var id = (await datasets.CreateAsync("d", [new("a"), new("b")], Actor.Admin("me"))).Dataset!.Id;

        var refused = await datasets.AppendAsync(id, [new("c"), new("a")], Actor.Admin("admin@example.com"));
        var appended = await datasets.AppendAsync(id, [new("c"), new("d")], Actor.Admin("admin@example.com"));

        Assert.Equal(["Already in the dataset: 'a'."], refused.Errors!.For("items"));
        Assert.Equal(4, appended.Dataset!.RowCount);
        var rows = await datasets.RowsAsync(id, new DatasetRowQuery());
        Assert.Equal(["a", "b", "c", "d"], rows!.Items.Select(r => r.Key));
        Assert.Equal([0, 1, 2, 3], rows.Items.Select(r => r.Position));
    }

    [Fact]
    public async Task Bad_names_and_rows_are_refused_by_field()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var datasets = Datasets(h);

        var noName = await datasets.CreateAsync("  ", [new("a")], Actor.Admin("me"));
        var duplicates = await datasets.CreateAsync("d", [new("a"), new("a")], Actor.Admin("me"));
        var empty = await datasets.CreateAsync("d", [], Actor.Admin("me"));

        Assert.Equal(["Give the dataset a name."], noName.Errors!.For("name"));
        Assert.NotEmpty(duplicates.Errors!.For("items"));
        Assert.Equal(["Give at least one row."], empty.Errors!.For("items"));
        Assert.Empty(await datasets.ListAsync());
    }

    [Fact]
    public async Task A_dataset_cannot_be_deleted_while_a_batch_works_on_it()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var datasets = Datasets(h);
        var id = (await datasets.CreateAsync("d", [new("a")], Actor.Admin("me"))).Dataset!.Id;
        var batch = await h.Batches.CreateAsync(new CreateBatchRequest { Handler = "scripted", Source = new BatchSource { DatasetId = id } }, Actor.Admin("me"));

        var refused = await datasets.DeleteAsync(id, Actor.Admin("admin@example.com"));
        await h.Batches.CancelAsync(batch.Batch!.Id, Actor.Admin("admin@example.com"));
        var deleted = await datasets.DeleteAsync(id, Actor.Admin("admin@example.com"));

        Assert.Equal(ChangeOutcome.Conflict, refused.Outcome);
        Assert.True(deleted.IsOk);
        Assert.Null(await datasets.GetAsync(id));
        Assert.Null(await datasets.RowsAsync(id, new DatasetRowQuery()));
        Assert.NotNull(await h.Batches.GetAsync(batch.Batch.Id)); // the batch keeps its own items
    }

    [Fact]
    public async Task Renaming_trims_and_an_unknown_dataset_is_not_found()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var datasets = Datasets(h);
        var id = (await datasets.CreateAsync("d", [new("a")], Actor.Admin("me"))).Dataset!.Id;

        Assert.Equal("accounts", (await datasets.RenameAsync(id, " accounts ", Actor.Admin("admin@example.com"))).Dataset!.Name);
        Assert.Equal(ChangeOutcome.NotFound, (await datasets.RenameAsync(Guid.NewGuid(), "x", Actor.Admin("admin@example.com"))).Outcome);
        Assert.Equal(ChangeOutcome.NotFound, (await datasets.AppendAsync(Guid.NewGuid(), [new("x")], Actor.Admin("admin@example.com"))).Outcome);
    }

    [Fact]
    public async Task A_name_another_dataset_has_is_refused_on_create_and_rename_trimmed_and_ignoring_case()
    {
        await using var h = await EngineHarness.CreateAsync(start: false);
        var datasets = Datasets(h);
        var accounts = (await datasets.CreateAsync("accounts", [new("a")], Actor.Admin("me"))).Dataset!;
        var other = (await datasets.CreateAsync("keywords", [new("k")], Actor.Admin("me"))).Dataset!;

        var created = await datasets.CreateAsync("  ACCOUNTS ", [new("b")], Actor.Admin("me"));
        var renamed = await datasets.RenameAsync(other.Id, "Accounts", Actor.Admin("me"));
        var same = await datasets.RenameAsync(accounts.Id, " Accounts ", Actor.Admin("me"));

        Assert.Equal(ChangeOutcome.Conflict, created.Outcome);
        Assert.Equal(["A dataset called “accounts” already exists; choose another name."], created.Errors!.For("name"));
        Assert.Equal(ChangeOutcome.Conflict, renamed.Outcome);
        Assert.Equal(["A dataset called “accounts” already exists; choose another name."], renamed.Errors!.For("name"));
        // A dataset keeps its own name (another case of it, too).
        Assert.Equal("Accounts", same.Dataset!.Name);
        Assert.Equal(["Accounts", "keywords"], (await datasets.ListAsync()).Select(d => d.Name));
    }

    private static DatasetService Datasets(EngineHarness h) => h.Services.CreateScope().ServiceProvider.GetRequiredService<DatasetService>();
}
