using BatchMonitor.Core.Access;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Components.Live;
using BatchMonitor.Web.Components.Pages.Datasets;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components;

/// <summary>The dataset page follows the batches working on its dataset: a banner, and each shown row's live state.</summary>
public sealed class DatasetPageTests
{
    private static string Key(int i) => $"row-{i:000}";

    /// <summary>A row's key cell: it carries the row's data-item-key, data-status and data-live (MudTable draws the tr itself).</summary>
    private static string RowOf(string key) => $"td[data-item-key='{key}']";

    private const string Rows = "td[data-item-key]";

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<DatasetDetails> page, string key) => page.Find(RowOf(key)).ParentElement!;

    private static string TimeOf(IRenderedComponent<DatasetDetails> page, string key) =>
        Row(page, key).QuerySelector("td.bm-col-time")!.TextContent.Trim();

    [Fact]
    public async Task An_item_event_of_the_running_batch_updates_the_row_of_that_key_in_place()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var dataset = await CreateDatasetAsync(h, 80);
        var batch = await OverAsync(h, new BatchSource { DatasetId = dataset, Page = 1, PageSize = 50 });
        var page = await OpenLiveAsync(h, dataset);
        await page.WaitForAssertionAsync(() => Assert.Equal("pending", page.Find(RowOf(Key(2))).GetAttribute("data-status")));
        var item = (await h.Engine.ItemsAsync(batch.Id))[1];
        Assert.Equal(Key(2), item.Key);

        h.Push(ComponentHarness.Running(batch, succeeded: 0, running: 1),
            [item with { Status = ItemStatus.Running, Progress = 0.4, Step = "Fetching (2/5)", StartedAt = h.Time.UtcNow.AddSeconds(-3), Attempts = 1 }]);

        await page.WaitForAssertionAsync(() =>
        {
            var cell = page.Find(RowOf(Key(2)));
            Assert.Equal("running", cell.GetAttribute("data-status"));
            Assert.Equal("true", cell.GetAttribute("data-live"));
            Assert.Equal("40", page.Find($"[role=progressbar][data-item-key='{Key(2)}']").GetAttribute("aria-valuenow"));
            Assert.Contains("Fetching (2/5)", Row(page, Key(2)).TextContent);
            Assert.Equal("0:03", TimeOf(page, Key(2)));
            Assert.Equal("pending", page.Find(RowOf(Key(3))).GetAttribute("data-status"));
        });

        // The timer ticks without an event and without reading the store.
        var commands = h.Commands.Count;
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await page.WaitForAssertionAsync(() => Assert.Equal("0:04", TimeOf(page, Key(2))));
        Assert.Equal(commands, h.Commands.Count);

        h.Time.Advance(LiveComponentBase.RenderInterval);
        h.Push(ComponentHarness.Running(batch, succeeded: 1),
            [item with { Status = ItemStatus.Succeeded, Progress = 1, DurationMs = 4200, ResultJson = """{"followers":42}""", Attempts = 1 }]);

        await page.WaitForAssertionAsync(() =>
        {
            Assert.Equal("succeeded", page.Find(RowOf(Key(2))).GetAttribute("data-status"));
            Assert.Contains("""{"followers":42}""", Row(page, Key(2)).TextContent);
            Assert.Empty(page.FindAll($"[role=progressbar][data-item-key='{Key(2)}']"));
        });
    }

    [Fact]
    public async Task The_banner_appears_when_a_batch_over_this_dataset_starts_and_not_for_other_batches()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var dataset = await CreateDatasetAsync(h, 10);
        var page = await OpenLiveAsync(h, dataset);
        Assert.Empty(page.FindAll("[data-run-batch]"));

        var other = await h.CreateBatchAsync(3);
        h.Time.Advance(LiveComponentBase.ReloadInterval);
        await Task.Delay(50);
        Assert.Empty(page.FindAll("[data-run-batch]"));
        Assert.Empty(page.FindAll("td[data-live]"));

        var batch = await OverAsync(h, new BatchSource { DatasetId = dataset });
        h.Time.Advance(LiveComponentBase.ReloadInterval);

        await page.WaitForAssertionAsync(() =>
        {
            var banner = page.Find($"[data-run-batch='{batch.Id}']");
            Assert.Equal("queued", banner.GetAttribute("data-status"));
            Assert.Contains("Processing", banner.TextContent);
            Assert.Equal(10, page.FindAll("td[data-live=true]").Count);
            Assert.Equal($"batches/{batch.Id}", page.Find($"[data-run-batch='{batch.Id}'] a.bm-run-name").GetAttribute("href"));
        });

        h.Push(ComponentHarness.Running(batch, succeeded: 6, failed: 1, running: 2));
        await page.WaitForAssertionAsync(() =>
            Assert.Equal("7", page.Find($"[role=progressbar][data-batch-id='{batch.Id}']").GetAttribute("aria-valuenow")));
        Assert.Empty(page.FindAll($"[data-run-batch='{other.Id}']"));

        // Finished: the banner says how the last run went, the rows show their stored outcomes again.
        await h.Engine.Batches.CancelAsync(batch.Id, Actor.Admin("admin@example.com"));
        h.Time.Advance(LiveComponentBase.ReloadInterval);
        await page.WaitForAssertionAsync(() =>
        {
            Assert.Equal("cancelled", page.Find($"[data-run-batch='{batch.Id}']").GetAttribute("data-status"));
            Assert.Contains("Last run", page.Find("[data-run-batch]").TextContent);
            Assert.Empty(page.FindAll("td[data-live]"));
            Assert.Equal(10, page.FindAll($"{Rows}[data-status=never]").Count);
        });
    }

    [Fact]
    public async Task Items_of_rows_not_shown_leave_the_page_as_it_is()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var dataset = await CreateDatasetAsync(h, 120);
        var batch = await OverAsync(h, new BatchSource { DatasetId = dataset, Page = 2, PageSize = 50 });
        var page = await OpenLiveAsync(h, dataset);
        await page.WaitForAssertionAsync(() => Assert.Single(page.FindAll($"[data-run-batch='{batch.Id}']")));
        var item = (await h.Engine.ItemsAsync(batch.Id))[0];
        Assert.Equal(Key(51), item.Key);

        h.Push(ComponentHarness.Running(batch, succeeded: 0, running: 1), [item with { Status = ItemStatus.Running, Progress = 0.5 }]);

        await page.WaitForAssertionAsync(() =>
            Assert.Equal("0", page.Find($"[role=progressbar][data-batch-id='{batch.Id}']").GetAttribute("aria-valuenow")));
        Assert.Empty(page.FindAll("td[data-live]"));
        Assert.Empty(page.FindAll($"{RowOf(Key(51))}"));
        Assert.Equal(50, page.FindAll($"{Rows}[data-status=never]").Count);
    }

    [Fact]
    public async Task Process_this_page_with_a_filter_on_takes_exactly_the_rows_shown()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var dataset = await CreateDatasetAsync(h, 120);
        var page = await OpenLiveAsync(h, dataset);
        var nav = h.Context.Services.GetRequiredService<NavigationManager>();

        await page.InvokeAsync(() => nav.NavigateTo(nav.GetUriWithQueryParameters(new Dictionary<string, object?> { ["q"] = "row-07", ["pageSize"] = 10 })));
        await page.WaitForAssertionAsync(() => Assert.Equal(10, page.FindAll(Rows).Count));
        var shown = page.FindAll(Rows).Select(r => r.GetAttribute("data-item-key")).ToList();

        var dialog = OpenProcessDialog(h, page, "Process this page");
        Assert.Contains("The 10 rows shown", dialog.TextContent);
        await h.Overlays.Find("form.bm-process").SubmitAsync();

        var batch = await Wait.ForAsync(FirstBatchAsync(h), "the batch to be created");
        Assert.Equal(dataset, batch.DatasetId);
        Assert.Equal(shown, (await h.Engine.ItemsAsync(batch.Id)).Select(i => i.Key));
        Assert.Equal(Enumerable.Range(70, 10).Select(Key), shown);
        h.Overlays.WaitForAssertion(() => Assert.Empty(h.Overlays.FindAll("[role=dialog]")));
    }

    [Fact]
    public async Task Process_this_page_without_filters_takes_the_page_by_its_number()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var dataset = await CreateDatasetAsync(h, 120);
        var page = await OpenLiveAsync(h, dataset);
        var nav = h.Context.Services.GetRequiredService<NavigationManager>();
        await page.InvokeAsync(() => nav.NavigateTo(nav.GetUriWithQueryParameters(new Dictionary<string, object?> { ["page"] = 3 })));
        await page.WaitForAssertionAsync(() => Assert.Equal(20, page.FindAll(Rows).Count));

        Assert.Contains("Page 3: rows 101–120", OpenProcessDialog(h, page, "Process this page").TextContent);
        await h.Overlays.Find("form.bm-process").SubmitAsync();

        var batch = await Wait.ForAsync(FirstBatchAsync(h), "the batch to be created");
        Assert.Equal(Enumerable.Range(101, 20).Select(Key), (await h.Engine.ItemsAsync(batch.Id)).Select(i => i.Key));
        Assert.Equal($"dataset-{dataset}", batch.ExclusiveKey);
    }

    [Fact]
    public async Task A_viewer_sees_rows_and_the_running_batch_but_nothing_that_changes_them()
    {
        await using var h = await ComponentHarness.CreateAsync();
        h.Context.Services.GetRequiredService<TestUser>().Role = Roles.Viewer;
        var dataset = await CreateDatasetAsync(h, 5);
        var batch = await OverAsync(h, new BatchSource { DatasetId = dataset });

        var page = await OpenLiveAsync(h, dataset);

        await page.WaitForAssertionAsync(() => Assert.Single(page.FindAll($"[data-run-batch='{batch.Id}']")));
        Assert.Equal(5, page.FindAll(Rows).Count);
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Contains("Process") || b.TextContent.Contains("Delete")
                                                             || b.TextContent.Contains("Rename") || b.TextContent.Contains("Append"));
        Assert.Empty(page.FindAll("input[type=checkbox]"));
        Assert.Contains("need the admin role", page.Find("[data-testid=viewer-note]").TextContent);
    }

    [Fact]
    public async Task An_admin_demoted_while_the_dataset_page_is_open_renames_nothing_and_is_told_why()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var dataset = await CreateDatasetAsync(h, 3);
        var page = await OpenLiveAsync(h, dataset);
        var before = (await h.Engine.Services.CreateScope().ServiceProvider.GetRequiredService<DatasetService>().GetAsync(dataset))!.Name;

        page.FindButton("Rename").Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#dataset-name")));
        h.Context.Services.GetRequiredService<TestUser>().Role = Roles.Viewer;
        await page.Find("#dataset-name").InputAsync("taken over");
        await page.Find("form.bm-rename").SubmitAsync();

        h.Overlays.WaitForAssertion(() => Assert.Contains("Only an admin can change this", h.Overlays.Find(".bm-note").TextContent));
        Assert.Equal(before, (await h.Engine.Services.CreateScope().ServiceProvider.GetRequiredService<DatasetService>().GetAsync(dataset))!.Name);
    }

    [Fact]
    public async Task Rows_taking_their_outcomes_move_the_counts_above_them_through_the_page_s_one_reload()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var dataset = await CreateDatasetAsync(h, 5);
        var batch = await OverAsync(h, new BatchSource { DatasetId = dataset });
        var page = await OpenLiveAsync(h, dataset);
        await page.WaitForAssertionAsync(() => Assert.Equal("0", page.Find("[data-count=succeeded]").TextContent));
        var item = (await h.Engine.ItemsAsync(batch.Id))[0];
        // What the engine stores with an outcome published as each item finishes: the row's last outcome.
        await using (var scope = h.Engine.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BatchMonitorDbContext>();
            await db.DatasetRows.Where(r => r.DatasetId == dataset && r.Key == item.Key)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.LastStatus, ItemStatus.Succeeded));
        }

        h.Push(ComponentHarness.Running(batch, succeeded: 1), [item with { Status = ItemStatus.Succeeded, Progress = 1, Attempts = 1 }]);

        await page.WaitForAssertionAsync(() =>
        {
            Assert.Equal("1", page.Find("[data-count=succeeded]").TextContent);
            Assert.Equal("4", page.Find("[data-count=never]").TextContent);
        });
    }

    [Fact]
    public async Task The_process_dialog_cancelled_starts_nothing_and_closes()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var dataset = await CreateDatasetAsync(h, 12);
        var page = await OpenLiveAsync(h, dataset);

        Assert.Contains("All 12 rows of rows", OpenProcessDialog(h, page, "Process all").TextContent);
        await h.Overlays.FindButton("Cancel").ClickAsync();

        h.Overlays.WaitForAssertion(() => Assert.Empty(h.Overlays.FindAll("[role=dialog]")));
        Assert.Empty((await h.Engine.Batches.ListAsync(new BatchListQuery())).Items);
    }

    [Fact]
    public async Task Delete_asks_first_keep_it_leaves_the_dataset_and_delete_removes_it()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var dataset = await CreateDatasetAsync(h, 3);
        var page = await OpenLiveAsync(h, dataset);
        var service = h.Engine.Services.CreateScope().ServiceProvider.GetRequiredService<DatasetService>();

        page.FindButton("Delete").Click();
        h.Overlays.WaitForAssertion(() => Assert.Contains("Its 3 rows and their last outcomes", h.Overlays.Find("[role=dialog]").TextContent));
        await h.Overlays.FindButton("Keep it").ClickAsync();
        h.Overlays.WaitForAssertion(() => Assert.Empty(h.Overlays.FindAll("[role=dialog]")));
        Assert.NotNull(await service.GetAsync(dataset));

        page.FindButton("Delete").Click();
        h.Overlays.WaitForAssertion(() => Assert.Single(h.Overlays.FindAll("[role=dialog]")));
        await h.Overlays.FindButton("Delete dataset").ClickAsync();

        await Wait.UntilAsync(async () => await service.GetAsync(dataset) is null, "the dataset to be deleted");
        h.Overlays.WaitForAssertion(() => Assert.Contains("was deleted", h.Overlays.Find(".bm-note").TextContent));
    }

    [Fact]
    public async Task A_rename_to_another_dataset_s_name_is_refused_beside_the_field_and_the_message_goes_as_the_name_changes()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var dataset = await CreateDatasetAsync(h, 2);
        await using (var scope = h.Engine.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatasetService>().CreateAsync("accounts", [new ItemInput("a")], Actor.Admin("test"));
        var page = await OpenLiveAsync(h, dataset);

        page.FindButton("Rename").Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#dataset-name")));
        await page.Find("#dataset-name").InputAsync(" Accounts ");
        await page.Find("form.bm-rename").SubmitAsync();

        page.WaitForAssertion(() => Assert.Equal("A dataset called “accounts” already exists; choose another name.", ErrorBeside(page, "dataset-name")));
        await page.Find("#dataset-name").InputAsync("accounts 2");
        page.WaitForAssertion(() => Assert.Null(ErrorBeside(page, "dataset-name")));
        await page.Find("#dataset-name").InputAsync("");
        page.WaitForAssertion(() => Assert.Equal("Give the dataset a name.", ErrorBeside(page, "dataset-name")));
    }

    /// <summary>Clicks a Process button (its handler waits for the dialog) and returns the dialog once it is shown.</summary>
    private static AngleSharp.Dom.IElement OpenProcessDialog(ComponentHarness h, IRenderedComponent<DatasetDetails> page, string button)
    {
        page.FindAll("button").First(b => b.TextContent.Trim().StartsWith(button, StringComparison.Ordinal)).Click();
        h.Overlays.WaitForAssertion(() => Assert.Single(h.Overlays.FindAll("[role=dialog]")));
        return h.Overlays.Find("[role=dialog]");
    }

    /// <summary>The error line MudBlazor shows under the field whose input has this id, or null.</summary>
    internal static string? ErrorBeside<T>(IRenderedComponent<T> page, string inputId) where T : IComponent
    {
        var field = page.Find($"#{inputId}").Closest(".mud-input-control");
        return field?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() is { Length: > 0 } text ? text : null;
    }

    private static async Task<BatchView> FirstBatchAsync(ComponentHarness h)
    {
        while (true)
        {
            var page = await h.Engine.Batches.ListAsync(new BatchListQuery());
            if (page.Items.Count > 0) return page.Items[0];
            await Task.Delay(5);
        }
    }

    /// <summary>The dataset page, rendered, subscribed to the engine's events and showing its rows.</summary>
    private static async Task<IRenderedComponent<DatasetDetails>> OpenLiveAsync(ComponentHarness h, Guid dataset)
    {
        var before = h.Events.SubscriberCount;
        var page = h.Context.Render<DatasetDetails>(p => p.Add(x => x.Id, dataset));
        await h.UntilSubscribedAsync(before);
        page.WaitUntilLoaded();
        return page;
    }

    private static async Task<Guid> CreateDatasetAsync(ComponentHarness h, int rows)
    {
        await using var scope = h.Engine.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DatasetService>()
            .CreateAsync("rows", Enumerable.Range(1, rows).Select(i => new ItemInput(Key(i))).ToList(), Actor.Admin("test"));
        Assert.True(result.IsOk, result.Errors?.ToString());
        return result.Dataset!.Id;
    }

    private static async Task<BatchView> OverAsync(ComponentHarness h, BatchSource source)
    {
        var result = await h.Engine.Batches.CreateAsync(new CreateBatchRequest { Handler = h.Engine.Handler.Name, Source = source }, Actor.Admin("test"));
        Assert.True(result.IsOk, result.Errors?.ToString());
        return result.Batch!;
    }
}
