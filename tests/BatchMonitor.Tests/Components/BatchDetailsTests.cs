using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Components.Pages;
using Bunit;
using Bunit.Extensions.WaitForHelpers;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components;

public sealed class BatchDetailsTests
{
    private static string Bar(Guid id) => $"[role=progressbar][data-batch-id='{id}']";

    [Fact]
    public async Task An_event_pushed_for_the_batch_moves_its_progress_bar()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(10);
        var page = await OpenLiveAsync(h, batch.Id);
        Assert.Equal("0", page.Find(Bar(batch.Id)).GetAttribute("aria-valuenow"));

        h.Push(ComponentHarness.Running(batch, succeeded: 3, failed: 1, running: 2));

        await page.WaitForAssertionAsync(() =>
        {
            var bar = page.Find(Bar(batch.Id));
            Assert.Equal("4", bar.GetAttribute("aria-valuenow"));
            Assert.Equal("0", bar.GetAttribute("aria-valuemin"));
            Assert.Equal("10", bar.GetAttribute("aria-valuemax"));
            Assert.Equal("running", page.Find(".bm-title-line [data-status]").GetAttribute("data-status"));
        });
    }

    [Fact]
    public async Task A_flood_of_a_thousand_events_causes_only_a_handful_of_renders()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(1000);
        var page = await OpenLiveAsync<CountedBatchDetails>(h, batch.Id);
        var rendersBefore = page.Instance.Renders;

        // The harness delivers every event (no coalescing in BatchEvents), so the page sees all 1,000.
        for (var i = 1; i <= 1000; i++) h.Push(ComponentHarness.Running(batch, succeeded: i, running: i < 1000 ? 1 : 0));
        h.Time.Advance(LiveInterval);

        await page.WaitForAssertionAsync(() => Assert.Equal("1000", page.Find(Bar(batch.Id)).GetAttribute("aria-valuenow")));
        var renders = page.Instance.Renders - rendersBefore;
        Assert.InRange(renders, 1, 3);
    }

    [Fact]
    public async Task Events_arriving_for_a_second_render_at_most_about_ten_times()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(1000);
        var page = await OpenLiveAsync<CountedBatchDetails>(h, batch.Id);
        var rendersBefore = page.Instance.Renders;

        // 1,000 events over one second of the page's clock: one every millisecond.
        for (var i = 1; i <= 1000; i++)
        {
            h.Push(ComponentHarness.Running(batch, succeeded: i));
            h.Time.Advance(1);
        }
        h.Time.Advance(LiveInterval);

        // A long wait for the last render on a loaded machine: what is counted is renders, not time.
        await page.WaitForAssertionAsync(() => Assert.Equal("1000", page.Find(Bar(batch.Id)).GetAttribute("aria-valuenow")),
            TimeSpan.FromSeconds(20));
        Assert.InRange(page.Instance.Renders - rendersBefore, 2, 12);
    }

    [Fact]
    public async Task Leaving_the_page_unsubscribes()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync();
        var before = h.Events.SubscriberCount;

        var page = h.Context.Render<BatchDetails>(p => p.Add(x => x.Id, batch.Id));
        await h.UntilSubscribedAsync(before);
        // The page, its log panel, and its queue line while the batch is queued (other batches starting move its place).
        await page.WaitForAssertionAsync(() => Assert.Equal(before + 3, h.Events.SubscriberCount));

        await h.Context.DisposeComponentsAsync();

        Assert.True(page.IsDisposed);
        Assert.Equal(before, h.Events.SubscriberCount);
    }

    [Fact]
    public async Task A_thousand_visits_leave_no_subscription_behind()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync();
        var before = h.Events.SubscriberCount;

        for (var visit = 0; visit < 1000; visit++)
        {
            h.Context.Render<BatchDetails>(p => p.Add(x => x.Id, batch.Id));
            await h.UntilSubscribedAsync(before);
            await h.Context.DisposeComponentsAsync();
        }

        Assert.Equal(before, h.Events.SubscriberCount);
    }

    [Fact]
    public async Task A_pushed_pause_disables_pause_and_enables_resume()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync();
        var page = await OpenLiveAsync(h, batch.Id);

        h.Push(ComponentHarness.Running(batch, succeeded: 2));
        await page.WaitForAssertionAsync(() =>
        {
            Assert.False(page.FindButton("Pause").IsDisabled());
            Assert.True(page.FindButton("Resume").IsDisabled());
        });

        h.Time.Advance(LiveInterval);
        h.Push(ComponentHarness.Running(batch, succeeded: 2) with { Status = BatchStatus.Paused });
        h.Time.Advance(LiveInterval);

        await page.WaitForAssertionAsync(() =>
        {
            Assert.True(page.FindButton("Pause").IsDisabled());
            Assert.False(page.FindButton("Resume").IsDisabled());
            Assert.False(page.FindButton("Cancel").IsDisabled());
            Assert.Equal("paused", page.Find(".bm-title-line [data-status]").GetAttribute("data-status"));
        });
    }

    [Fact]
    public async Task Items_pushed_for_the_batch_update_their_rows()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(3);
        var page = await OpenLiveAsync(h, batch.Id);
        var item = (await h.Engine.ItemsAsync(batch.Id))[1];

        h.Push(ComponentHarness.Running(batch, succeeded: 0, running: 1),
            [item with { Status = ItemStatus.Running, Progress = 0.4, Step = "Fetching (2/5)", StartedAt = h.Time.UtcNow, Attempts = 1 }]);

        await page.WaitForAssertionAsync(() =>
        {
            // MudTable draws the <tr>: the row's hooks are on its key cell.
            var cell = page.Find($"td[data-item-key='{item.Key}']");
            var row = cell.ParentElement!;
            Assert.Equal("running", cell.GetAttribute("data-status"));
            Assert.Equal("40", page.Find($"[role=progressbar][data-item-key='{item.Key}']").GetAttribute("aria-valuenow"));
            Assert.Contains("Fetching (2/5)", row.TextContent);
        });
    }

    [Fact]
    public async Task The_elapsed_timer_ticks_every_second_without_reading_the_database()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync();
        var page = await OpenLiveAsync(h, batch.Id);
        h.Push(ComponentHarness.Running(batch, succeeded: 1) with { StartedAt = h.Time.UtcNow.AddSeconds(-5) });
        await page.WaitForAssertionAsync(() => Assert.Equal("0:05", page.Find("[data-testid=elapsed]").TextContent));
        var commands = h.Commands.Count;

        for (var second = 6; second <= 8; second++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(1));
            var expected = $"0:{second:00}";
            await page.WaitForAssertionAsync(() => Assert.Equal(expected, page.Find("[data-testid=elapsed]").TextContent));
        }

        Assert.Equal(commands, h.Commands.Count);
    }

    [Fact]
    public async Task After_a_reconnect_the_page_reads_its_state_again()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync();
        var page = await OpenLiveAsync(h, batch.Id);

        // A change the page was never told about (as if its events were lost while the tab was away).
        await using (var db = await h.Engine.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync())
        {
            await db.Batches.Where(b => b.Id == batch.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.Name, "renamed while away"));
        }
        Assert.DoesNotContain("renamed while away", page.Find("h1").TextContent);

        h.Connection.SimulateReconnect();

        await page.WaitForAssertionAsync(() => Assert.Equal("renamed while away", page.Find("h1").TextContent));
    }

    [Fact]
    public async Task A_log_line_both_read_and_pushed_is_shown_once()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync();
        var line = new LogLineView(7, h.Time.UtcNow, "warning", "k1", "Attempt 1 failed.") { BatchId = batch.Id };
        var page = await OpenLiveAsync(h, batch.Id);

        // The same line twice (as when it was committed between subscribing and reading), then a newer one.
        h.Events.Publish(new Core.Events.BatchChange(batch.Id, null, [], [line]));
        h.Time.Advance(LiveInterval);
        h.Events.Publish(new Core.Events.BatchChange(batch.Id, null, [], [line, line with { Seq = 8, Message = "Attempt 2 failed." }]));
        h.Time.Advance(LiveInterval);

        await page.WaitForAssertionAsync(() =>
        {
            var lines = page.FindAll(".bm-log-line");
            Assert.Equal(2, lines.Count);
            Assert.Contains("Attempt 1 failed.", lines[0].TextContent);
            Assert.Contains("Attempt 2 failed.", lines[1].TextContent);
        });
    }

    [Fact]
    public async Task An_unknown_id_says_the_batch_is_not_found()
    {
        await using var h = await ComponentHarness.CreateAsync();

        var page = h.Context.Render<BatchDetails>(p => p.Add(x => x.Id, Guid.NewGuid()));

        page.WaitForAssertion(() => Assert.Equal("Batch not found", page.Find("h1").TextContent));
        Assert.Empty(page.FindAll("[role=progressbar]"));
    }

    [Fact]
    public async Task A_deleted_batch_says_so_and_offers_no_actions()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync();
        var page = await OpenLiveAsync(h, batch.Id);

        h.Events.Publish(new Core.Events.BatchChange(batch.Id, null, [], []) { Deleted = true });

        await page.WaitForAssertionAsync(() =>
        {
            Assert.Contains("This batch was just deleted", page.Markup);
            Assert.Empty(page.FindAll("[role=toolbar][aria-label='Batch actions']"));
        });
    }

    [Fact]
    public async Task The_item_filter_and_page_come_from_the_address_and_go_back_into_it()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(60);
        var nav = h.Context.Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo($"batches/{batch.Id}?q=k1&limit=10");

        // A link (or a refresh) with a search and a page size shows exactly that: keys k1, k10..k19 are 11, 10 per page.
        var page = await OpenLiveAsync(h, batch.Id);
        Assert.Equal(["k1", .. Enumerable.Range(10, 9).Select(i => $"k{i}")], Keys(page));
        Assert.Equal("k1", page.Find("#items-search").GetAttribute("value"));

        await page.Find(".mud-table-pagination-last-button").ClickAsync();
        await page.WaitForAssertionAsync(() => Assert.Equal(["k19"], Keys(page)));
        Assert.EndsWith($"batches/{batch.Id}?q=k1&limit=10&offset=10", nav.Uri);

        // A new filter starts again at the first page.
        await ChooseStatusAsync(h, page, "succeeded");
        await page.WaitForAssertionAsync(() => Assert.Contains("No item matches this filter.", page.Markup));
        Assert.EndsWith($"batches/{batch.Id}?q=k1&limit=10&status=succeeded", nav.Uri);

        // What the address cannot mean is left out rather than shown as an error.
        await page.InvokeAsync(() => nav.NavigateTo($"batches/{batch.Id}?status=bogus&limit=100000&offset=-3"));
        await page.WaitForAssertionAsync(() => Assert.Equal(25, Keys(page).Count));
        Assert.Equal("k0", Keys(page)[0]);
    }

    [Fact]
    public async Task The_log_filter_comes_from_the_address_and_goes_back_into_it()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(3);
        await using (var db = await h.Engine.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync())
        {
            db.LogLines.Add(new LogLine(batch.Id, h.Time.UtcNow, LogLevels.Info, "k0", "Time zone set to UTC."));
            db.LogLines.Add(new LogLine(batch.Id, h.Time.UtcNow, LogLevels.Error, "k1", "Failed: timeout after 30 s."));
            db.LogLines.Add(new LogLine(batch.Id, h.Time.UtcNow, LogLevels.Error, "k2", "Failed: HTTP 404."));
            await db.SaveChangesAsync();
        }
        var nav = h.Context.Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo($"batches/{batch.Id}?logLevel=error&logQ=timeout");

        // A link (or a refresh) with a log filter shows the lines it chose, with the filter in the fields.
        var page = await OpenLiveAsync(h, batch.Id);
        await page.WaitForAssertionAsync(() => Assert.Equal(["Failed: timeout after 30 s."], LogMessages(page)));
        Assert.Equal("timeout", page.Find("#log-search").GetAttribute("value"));
        Assert.Contains("mud-chip-selected", page.Find(".bm-log-levels [data-level=error]").ClassList);
        Assert.DoesNotContain("mud-chip-selected", page.Find(".bm-log-levels [data-level=info]").ClassList);

        // A filter typed in is read, then written into the address in place (the levels kept, no history entry).
        page.Find("#log-search").Input("HTTP");
        await page.WaitForAssertionAsync(() => Assert.Equal(["Failed: HTTP 404."], LogMessages(page)));
        await page.WaitForAssertionAsync(() => Assert.EndsWith($"batches/{batch.Id}?logLevel=error&logQ=HTTP", nav.Uri));
        var history = Assert.IsType<Bunit.TestDoubles.BunitNavigationManager>(nav).History;
        Assert.True(Assert.Single(history, e => e.Uri.Contains("logQ=HTTP")).Options.ReplaceHistoryEntry);

        // Back to the plain address (the browser's back, a link): every line, and empty fields.
        await page.InvokeAsync(() => nav.NavigateTo($"batches/{batch.Id}"));
        await page.WaitForAssertionAsync(() => Assert.Equal(3, LogMessages(page).Count));
        Assert.True(string.IsNullOrEmpty(page.Find("#log-search").GetAttribute("value")));

        // What the address cannot mean is left out: an unknown level, beside a known one.
        await page.InvokeAsync(() => nav.NavigateTo($"batches/{batch.Id}?logLevel=bogus,info"));
        await page.WaitForAssertionAsync(() => Assert.Equal(["Time zone set to UTC."], LogMessages(page)));
    }

    private static List<string> LogMessages(IRenderedComponent<BatchDetails> page) =>
        page.FindAll(".bm-log-line .bm-log-message").Select(m => m.TextContent).ToList();

    [Fact]
    public async Task The_item_search_applies_as_the_user_types()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(30);
        var nav = h.Context.Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo($"batches/{batch.Id}");
        var page = await OpenLiveAsync(h, batch.Id);

        // No Enter, no leaving the field: typing is enough.
        page.Find("#items-search").Input("k2");
        // The search waits for a pause in typing (MudBlazor's debounce, on the page's clock). On a busy machine its timer
        // can be set a moment after the keystroke, so the clock moves on until the search has run.
        for (var tries = 1; ; tries++)
        {
            h.Time.Advance(TimeSpan.FromMilliseconds(300));
            try
            {
                await page.WaitForAssertionAsync(() => Assert.Equal(["k2", .. Enumerable.Range(20, 10).Select(i => $"k{i}")], Keys(page)),
                    TimeSpan.FromSeconds(1));
                break;
            }
            catch (WaitForFailedException) when (tries < 10)
            {
            }
        }
        Assert.EndsWith($"batches/{batch.Id}?q=k2", nav.Uri);
    }

    [Fact]
    public async Task A_two_hundred_character_name_is_the_whole_heading_and_the_breadcrumb_shortens_it()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var name = string.Concat(Enumerable.Repeat("overnight-account-sync-", 9))[..200];
        var batch = (await h.Engine.Batches.CreateAsync(new Core.Services.CreateBatchRequest
        {
            Name = name, Handler = h.Engine.Handler.Name, Items = [new Core.Services.ItemInput("a")],
        }, Core.Access.Actor.Admin("test"))).Batch!;

        var page = await OpenLiveAsync(h, batch.Id);

        Assert.Equal(name, page.Find("h1").TextContent);
        Assert.Contains("bm-batch-name", page.Find("h1").ClassName);
        Assert.Equal(name, page.Find(".bm-crumb-current").GetAttribute("title"));
    }

    /// <summary>Picks a status in the item filter (a MudSelect: its list opens in the overlays).</summary>
    private static async Task ChooseStatusAsync(ComponentHarness h, IRenderedComponent<BatchDetails> page, string status)
    {
        await page.Find(".bm-status-filter").MouseDownAsync(new());
        await h.Overlays.WaitForAssertionAsync(() => Assert.Contains(h.Overlays.FindAll(".mud-list-item"), i => i.TextContent.Trim() == status));
        await h.Overlays.FindAll(".mud-list-item").First(i => i.TextContent.Trim() == status).ClickAsync();
    }

    private static List<string?> Keys(IRenderedComponent<BatchDetails> page) =>
        page.FindAll("td[data-item-key]").Select(r => r.GetAttribute("data-item-key")).ToList();

    private static readonly TimeSpan LiveInterval = BatchMonitor.Web.Components.Live.LiveComponentBase.RenderInterval;

    /// <summary>The batch page, rendered and subscribed to the engine's events (what a first render leads to).</summary>
    private static Task<IRenderedComponent<BatchDetails>> OpenLiveAsync(ComponentHarness h, Guid id) => OpenLiveAsync<BatchDetails>(h, id);

    private static async Task<IRenderedComponent<T>> OpenLiveAsync<T>(ComponentHarness h, Guid id) where T : BatchDetails
    {
        var before = h.Events.SubscriberCount;
        var page = h.Context.Render<T>(p => p.Add(x => x.Id, id));
        await h.UntilSubscribedAsync(before);
        page.WaitUntilLoaded();
        return page;
    }

    /// <summary>The batch page, counting its own renders (bunit's RenderCount also counts each render of a child).</summary>
    private sealed class CountedBatchDetails : BatchDetails
    {
        private int _renders;

        public int Renders => Volatile.Read(ref _renders);

        protected override void OnAfterRender(bool firstRender)
        {
            Interlocked.Increment(ref _renders);
            base.OnAfterRender(firstRender);
        }
    }
}
