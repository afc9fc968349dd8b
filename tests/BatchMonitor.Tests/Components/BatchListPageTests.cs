using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Components.Batches;
using BatchMonitor.Web.Components.Live;
using BatchMonitor.Web.Components.Pages;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components;

public sealed class BatchListPageTests
{
    [Fact]
    public async Task Search_applies_as_the_reader_types_once_they_pause_and_goes_into_the_address()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var alpha = await CreateAsync(h, "alpha accounts");
        await CreateAsync(h, "beta keywords");
        var (page, nav) = await OpenAsync(h, "batches");
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        var box = page.Find("input[type=search]");

        box.Input("alp");
        h.Time.Advance(200);
        page.Find("input[type=search]").Input("alpha");
        h.Time.Advance(299);
        // Still typing (the pause restarted with each key): nothing applied yet, and no Enter is needed.
        Assert.DoesNotContain("q=", nav.Uri);
        Assert.Equal(2, Rows(page).Count);

        h.Time.Advance(1);

        await page.WaitForAssertionAsync(() =>
        {
            Assert.EndsWith("batches?q=alpha", nav.Uri);
            Assert.Equal([alpha.Id.ToString()], Rows(page).Select(r => r.GetAttribute("data-batch-row")));
        });
        Assert.Equal("alpha", page.Find("input[type=search]").GetAttribute("value"));
    }

    [Fact]
    public async Task Created_within_the_last_days_keeps_the_newer_batches_and_goes_into_the_address()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var old = await CreateAsync(h, "old run");
        h.Time.Advance(TimeSpan.FromDays(10));
        var recent = await CreateAsync(h, "recent run");
        var (page, nav) = await OpenAsync(h, "batches?within=7d");

        page.WaitForAssertion(() => Assert.Contains("recent run", Assert.Single(Rows(page)).TextContent));

        nav.NavigateTo("batches?within=30d");
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        nav.NavigateTo("batches");
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        Assert.NotEqual(old.Id, recent.Id);
    }

    [Fact]
    public async Task A_pushed_change_redraws_only_the_row_of_the_batch_that_changed()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var moving = await CreateAsync(h, "moving", items: 20);
        var still = await CreateAsync(h, "still");
        var before = h.Events.SubscriberCount;
        var (page, _) = await OpenAsync(h, "batches");
        await h.UntilSubscribedAsync(before);
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        var stillRow = page.FindComponents<BatchRow>().Single(r => r.Instance.Batch.Id == still.Id);
        var renders = stillRow.RenderCount;

        h.Push(ComponentHarness.Running(moving, succeeded: 0) with { Status = BatchStatus.Queued, CurrentStep = "warming up" });
        h.Push(ComponentHarness.Running(moving, succeeded: 6, failed: 1) with { Status = BatchStatus.Queued });
        h.Time.Advance(LiveComponentBase.RenderInterval);
        // A row's progress moves at most once a second on the list: the second change waits for the rest of it.
        h.Time.Advance(Batches.RowInterval);

        await page.WaitForAssertionAsync(() =>
        {
            Assert.Equal("7", page.Find($"[role=progressbar][data-batch-id='{moving.Id}']").GetAttribute("aria-valuenow"));
            Assert.Equal("7/20", page.Find($"[data-batch-row='{moving.Id}']").ParentElement!.QuerySelector("td[data-label=Items]")!.TextContent.Trim());
        });
        Assert.Equal(renders, stillRow.RenderCount);
        Assert.Equal(2, Rows(page).Count);
    }

    [Fact]
    public async Task Cancel_selected_asks_first_and_keeps_the_batches_running_when_the_reader_says_no()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var first = await CreateAsync(h, "first");
        var second = await CreateAsync(h, "second");
        var (page, _) = await OpenAsync(h, "batches");
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        Assert.True(page.FindButton("Cancel selected").IsDisabled());

        await page.Find($"input[aria-label='Select {first.Name}']").ChangeAsync(new ChangeEventArgs { Value = true });
        await page.WaitForAssertionAsync(() => Assert.Equal("1 selected", page.Find("[data-testid=selected-count]").TextContent.Trim()));

        page.FindButton("Cancel selected").Click();
        await h.Overlays.WaitForAssertionAsync(() => Assert.Contains("Cancel 1 batch?", h.Overlays.Find("[role=dialog]").TextContent));
        await h.Overlays.FindButton("Keep running").ClickAsync();
        await h.Overlays.WaitForAssertionAsync(() => Assert.Empty(h.Overlays.FindAll("[role=dialog]")));
        Assert.Equal(BatchStatus.Queued, (await h.Engine.GetAsync(first.Id)).Status);

        page.FindButton("Cancel selected").Click();
        await h.Overlays.WaitForAssertionAsync(() => Assert.NotEmpty(h.Overlays.FindAll("[role=dialog]")));
        await h.Overlays.FindButton("Cancel batches").ClickAsync();

        await Wait.UntilAsync(async () => (await h.Engine.GetAsync(first.Id)).Status == BatchStatus.Cancelled, "the batch to be cancelled");
        Assert.Equal(BatchStatus.Queued, (await h.Engine.GetAsync(second.Id)).Status);
        await page.WaitForAssertionAsync(() =>
            Assert.Equal("cancelled", page.Find($"[data-batch-row='{first.Id}']").GetAttribute("data-status")));
    }

    [Fact]
    public async Task A_viewer_sees_the_list_without_checkboxes_or_bulk_buttons_and_is_told_why()
    {
        await using var h = await ComponentHarness.CreateAsync();
        h.Context.Services.GetRequiredService<TestUser>().Role = BatchMonitor.Web.Auth.Roles.Viewer;
        await CreateAsync(h, "watched");
        var (page, _) = await OpenAsync(h, "batches");

        page.WaitForAssertion(() => Assert.Single(Rows(page)));
        Assert.Empty(page.FindAll("input[type=checkbox]"));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() is "Cancel selected" or "Delete selected" or "Retry failed");
        Assert.Contains("Only an admin can cancel, retry or delete batches.", page.Markup);
    }

    [Fact]
    public async Task Status_tabs_count_and_filter_through_the_address()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var cancelled = await CreateAsync(h, "gone");
        await CreateAsync(h, "waiting");
        await h.Engine.Batches.CancelAsync(cancelled.Id, BatchMonitor.Core.Access.Actor.Admin("admin@example.com"));

        var (page, _) = await OpenAsync(h, "batches?status=cancelled");

        page.WaitForAssertion(() => Assert.Equal([cancelled.Id.ToString()], Rows(page).Select(r => r.GetAttribute("data-batch-row"))));
        Assert.Equal("2", page.Find("[data-tab-count=all]").TextContent);
        Assert.Equal("1", page.Find("[data-tab-count=queued]").TextContent);
        var current = page.Find("[aria-current=page]");
        Assert.Contains("status=cancelled", current.GetAttribute("href"));
    }

    [Fact]
    public async Task Cancel_with_all_that_match_names_how_many_and_cancels_the_batches_of_every_page_of_the_filter()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var nightly = new[] { await CreateAsync(h, "nightly 1"), await CreateAsync(h, "nightly 2"), await CreateAsync(h, "nightly 3") };
        var other = await CreateAsync(h, "weekly");
        var (page, _) = await OpenAsync(h, "batches?q=nightly&limit=1");
        page.WaitForAssertion(() => Assert.Single(Rows(page)));

        await page.Find("input[aria-label='All batches that match this filter, on every page']").ChangeAsync(new ChangeEventArgs { Value = true });
        await page.WaitForAssertionAsync(() => Assert.Equal("All 3 that match", page.Find("[data-testid=selected-count]").TextContent.Trim()));
        page.FindButton("Cancel").Click();
        await h.Overlays.WaitForAssertionAsync(() => Assert.Contains("Cancel 3 batches that match?", h.Overlays.Find("[role=dialog]").TextContent));
        await h.Overlays.FindButton("Cancel batches").ClickAsync();

        foreach (var batch in nightly)
            await Wait.UntilAsync(async () => (await h.Engine.GetAsync(batch.Id)).Status == BatchStatus.Cancelled, "every matching batch to be cancelled");
        Assert.Equal(BatchStatus.Queued, (await h.Engine.GetAsync(other.Id)).Status);
    }

    [Fact]
    public async Task Completed_with_failures_is_a_tab_of_its_own_apart_from_failed_and_filters_through_the_address()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await CreateAsync(h, "half done");
        var (page, _) = await OpenAsync(h, "batches?status=completed&failures=true");
        page.WaitForAssertion(() => Assert.Equal("0", page.Find("[data-tab-count=completed-with-failures]").TextContent));
        Assert.Contains("failures=true", page.Find("[aria-current=page]").GetAttribute("href"));
        Assert.Contains("No batch matches these filters.", page.Markup);
        Assert.Equal("The batch itself stopped on an error", page.Find("[data-tab-count=failed]").Closest("a, button")!.GetAttribute("title"));
        Assert.DoesNotContain("failures=", page.Find("[data-tab-count=completed]").Closest("a, button")!.GetAttribute("href"));
        Assert.Equal("1", page.Find("[data-tab-count=all]").TextContent);
        Assert.Equal(BatchStatus.Queued, batch.Status);
    }

    private static IReadOnlyList<AngleSharp.Dom.IElement> Rows(IRenderedComponent<Batches> page) => page.FindAll("tbody [data-batch-row]");

    private static async Task<BatchView> CreateAsync(ComponentHarness h, string name, int items = 3)
    {
        var result = await h.Engine.Batches.CreateAsync(new CreateBatchRequest
        {
            Name = name,
            Handler = h.Engine.Handler.Name,
            Items = Enumerable.Range(0, items).Select(i => new ItemInput($"{name}-{i}")).ToList(),
        }, BatchMonitor.Core.Access.Actor.Admin("admin@example.com"));
        h.Time.Advance(1000);
        return result.Batch!;
    }

    private static async Task<(IRenderedComponent<Batches> Page, NavigationManager Nav)> OpenAsync(ComponentHarness h, string address)
    {
        var nav = h.Context.Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo(address);
        var page = h.Context.Render<Batches>();
        await Task.CompletedTask;
        return (page, nav);
    }
}
