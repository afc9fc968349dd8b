using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Components.Layout;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components;

public sealed class BatchToastsTests
{
    private const string Me = "admin@example.com";

    [Theory]
    [InlineData(BatchStatus.Completed, "Completed: ")]
    [InlineData(BatchStatus.Failed, "Failed: ")]
    [InlineData(BatchStatus.TimedOut, "Timed out: ")]
    public async Task Every_open_tab_of_the_user_hears_when_a_batch_they_started_finishes(BatchStatus end, string title)
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = Mine(await h.CreateBatchAsync(4));
        var secondTab = h.OpenTab();
        var before = h.Events.SubscriberCount;
        var tabs = new[]
        {
            (Listener: h.Context.Render<BatchToasts>(), Toasts: h.Overlays),
            (Listener: secondTab.Render<BatchToasts>(), Toasts: h.OverlaysOf(secondTab)),
        };
        await Wait.UntilAsync(() => h.Events.SubscriberCount == before + 2, "both tabs to listen");

        h.Push(ComponentHarness.Running(batch, succeeded: 2));
        h.Push(Finished(batch, end));
        h.Time.Advance(BatchToasts.Gather);

        foreach (var (_, toasts) in tabs)
        {
            await toasts.WaitForAssertionAsync(() => Assert.StartsWith(title + batch.Name, toasts.Find(".bm-note-title").TextContent));
        }
    }

    [Fact]
    public async Task A_late_change_of_a_batch_that_finished_long_ago_says_nothing()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var old = Mine(await h.CreateBatchAsync(4));
        var fresh = Mine(await h.CreateBatchAsync(4));
        var toasts = await ListenAsync(h, h.Context);

        h.Push(ComponentHarness.Running(old, succeeded: 4) with { Status = BatchStatus.Completed, FinishedAt = h.Time.UtcNow.AddMinutes(-5) });
        h.Push(ComponentHarness.Running(old, succeeded: 4) with { Status = BatchStatus.Running });
        h.Push(Finished(fresh, BatchStatus.Completed));
        h.Time.Advance(BatchToasts.Gather);

        // Had the old batch counted, the two would have made one note of "2 batches finished".
        await toasts.WaitForAssertionAsync(() => Assert.Equal("Completed: " + fresh.Name, Assert.Single(toasts.FindAll(".bm-note-title")).TextContent));
    }

    [Fact]
    public async Task A_burst_of_fifty_finished_batches_is_one_note_with_a_link_to_the_list()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batches = new List<BatchView>();
        for (var i = 0; i < 55; i++) batches.Add(Mine(await h.CreateBatchAsync(2)));
        var toasts = await ListenAsync(h, h.Context);

        foreach (var (batch, i) in batches.Take(50).Select((b, i) => (b, i)))
            h.Push(Finished(batch, i < 3 ? BatchStatus.Failed : BatchStatus.Completed));
        h.Time.Advance(BatchToasts.Gather);

        await toasts.WaitForAssertionAsync(() =>
        {
            var note = Assert.Single(toasts.FindAll(".bm-note"));
            Assert.Equal("50 batches finished, 3 with failures", note.QuerySelector(".bm-note-title")!.TextContent);
            Assert.Equal("batches", note.QuerySelector(".bm-note-message a")!.GetAttribute("href"));
        });

        // The burst goes on: the note on screen counts the later ones too, still one note.
        foreach (var batch in batches.Skip(50)) h.Push(Finished(batch, BatchStatus.Completed));
        h.Time.Advance(BatchToasts.Gather);

        await toasts.WaitForAssertionAsync(() =>
            Assert.Equal("55 batches finished, 3 with failures", Assert.Single(toasts.FindAll(".bm-note-title")).TextContent));
    }

    [Fact]
    public async Task Under_batches_I_started_a_batch_someone_else_started_says_nothing_unless_its_page_was_opened_here()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var theirs = await h.CreateBatchAsync(2) with { CreatedBy = "ann@example.com" };
        var followed = await h.CreateBatchAsync(2) with { CreatedBy = "ann@example.com" };
        var mine = Mine(await h.CreateBatchAsync(2));
        var toasts = await ListenAsync(h, h.Context);
        h.Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"batches/{followed.Id}");

        h.Push(Finished(theirs, BatchStatus.Failed));
        h.Time.Advance(BatchToasts.Gather);
        h.Push(Finished(mine, BatchStatus.Completed));
        h.Time.Advance(BatchToasts.Gather);
        await toasts.WaitForAssertionAsync(() => Assert.Equal("Completed: " + mine.Name, Assert.Single(toasts.FindAll(".bm-note-title")).TextContent));

        h.Push(Finished(followed, BatchStatus.Completed));
        h.Time.Advance(BatchToasts.Gather);
        await toasts.WaitForAssertionAsync(() =>
            Assert.Equal(["Completed: " + mine.Name, "Completed: " + followed.Name], toasts.FindAll(".bm-note-title").Select(t => t.TextContent)));
    }

    [Fact]
    public async Task The_choice_of_notifications_is_honoured_and_remembered_in_the_browser()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var theirs = await h.CreateBatchAsync(2) with { CreatedBy = "ann@example.com" };
        var mine = Mine(await h.CreateBatchAsync(2));
        var quiet = h.OpenTab();
        var remembered = h.OpenTab();
        remembered.JSInterop.Setup<string?>("localStorage.getItem", "bm-notify").SetResult("none");
        var before = h.Events.SubscriberCount;
        var menu = h.Context.Render<BatchToasts>();
        var quietMenu = quiet.Render<BatchToasts>();
        remembered.Render<BatchToasts>();
        await Wait.UntilAsync(() => h.Events.SubscriberCount == before + 3, "the tabs to listen");

        // This tab chooses "All batches"; the quiet one chooses "None"; the third remembers "None" from before.
        await ChooseAsync(h, h.Context, menu, "all");
        await ChooseAsync(h, quiet, quietMenu, "none");
        Assert.Equal(["bm-notify", "all"], h.Context.JSInterop.VerifyInvoke("localStorage.setItem").Arguments);

        h.Push(Finished(theirs, BatchStatus.Completed));
        h.Push(Finished(mine, BatchStatus.Completed));
        h.Time.Advance(BatchToasts.Gather);

        await h.Overlays.WaitForAssertionAsync(() => Assert.Equal("2 batches finished", Assert.Single(h.Overlays.FindAll(".bm-note-title")).TextContent));
        Assert.Empty(h.OverlaysOf(quiet).FindAll(".bm-note"));
        Assert.Empty(h.OverlaysOf(remembered).FindAll(".bm-note"));
    }

    private static BatchView Mine(BatchView batch) => batch with { CreatedBy = Me };

    /// <summary>The batch as it just ended (its creation time is the harness's clock, which a test does not move far).</summary>
    private static BatchView Finished(BatchView batch, BatchStatus end) =>
        ComponentHarness.Running(batch, succeeded: batch.Total - (end == BatchStatus.Completed ? 0 : 1), failed: end == BatchStatus.Completed ? 0 : 1)
            with { Status = end, FinishedAt = batch.CreatedAt };

    private static async Task<IRenderedComponent<Overlays>> ListenAsync(ComponentHarness h, BunitContext tab)
    {
        var before = h.Events.SubscriberCount;
        tab.Render<BatchToasts>();
        await h.UntilSubscribedAsync(before);
        return h.OverlaysOf(tab);
    }

    private static async Task ChooseAsync(ComponentHarness h, BunitContext tab, IRenderedComponent<BatchToasts> menu, string choice)
    {
        await menu.Find("button[aria-label=Notifications]").ClickAsync(new());
        var overlays = h.OverlaysOf(tab);
        await overlays.WaitForAssertionAsync(() => Assert.NotEmpty(overlays.FindAll($"[data-notify-choice={choice}]")));
        await overlays.Find($"[data-notify-choice={choice}]").ClickAsync(new());
    }
}
