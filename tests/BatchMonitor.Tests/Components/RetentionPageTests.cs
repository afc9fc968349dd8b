using BatchMonitor.Core.Access;
using BatchMonitor.Core.Retention;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Components.Live;
using BatchMonitor.Web.Components.Pages;
using BatchMonitor.Web.Components.Pages.Admin;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components;

/// <summary>
/// The Retention page over the real store: messages beside the fields, nothing stored until both are right, where a
/// setting comes from, totals that move when a prune finishes anywhere; the batch list drops a pruned batch live.
/// </summary>
public sealed class RetentionPageTests
{
    private static readonly Actor Admin = Actor.Admin("admin@example.com");

    [Fact]
    public async Task A_value_out_of_bounds_is_said_beside_its_field_nothing_is_stored_and_a_saved_value_says_where_it_comes_from()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var page = h.Context.Render<RetentionPage>();
        page.WaitForAssertion(() => Assert.Contains("the default", page.Find("#retention-days").Closest(".mud-input-control")!.TextContent));

        await page.Find("#retention-days").InputAsync("-3");
        page.WaitForAssertion(() => Assert.Equal(RetentionSettings.CheckDays(-3), ErrorBeside(page, "retention-days")));
        await page.Find("#retention-runs").InputAsync("many");
        page.WaitForAssertion(() => Assert.StartsWith("Give a whole number", ErrorBeside(page, "retention-runs")));
        await page.Find("form.bm-retention-form").SubmitAsync();
        var stored = (await h.Engine.Services.CreateScope().ServiceProvider.GetRequiredService<RetentionService>().GetAsync(Admin)).View!;
        Assert.Equal(SettingSources.Default, stored.FinishedBatchDays.Source);
        Assert.Null(stored.ChangedAt);

        await page.Find("#retention-days").InputAsync("7");
        page.WaitForAssertion(() => Assert.Null(ErrorBeside(page, "retention-days")));
        await page.Find("#retention-runs").InputAsync("");
        page.WaitForAssertion(() => Assert.Null(ErrorBeside(page, "retention-runs")));
        await page.Find("form.bm-retention-form").SubmitAsync();

        page.WaitForAssertion(() => Assert.Contains("Set here by admin@example.com",
            page.Find("#retention-days").Closest(".mud-input-control")!.TextContent));
        stored = (await h.Engine.Services.CreateScope().ServiceProvider.GetRequiredService<RetentionService>().GetAsync(Admin)).View!;
        Assert.Equal(new RetentionSetting(7, SettingSources.Database), stored.FinishedBatchDays);
        Assert.Equal(new RetentionSetting(1000, SettingSources.Default), stored.ScheduleRunsKept);
    }

    [Fact]
    public async Task The_totals_move_when_a_prune_finishes_elsewhere_and_the_batch_list_drops_the_pruned_batch()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(5);
        Assert.True((await h.Engine.Batches.CancelAsync(batch.Id, Admin)).IsOk);
        var before = h.Events.SubscriberCount;
        var page = h.Context.Render<RetentionPage>();
        var otherTab = h.OpenTab();
        otherTab.Services.GetRequiredService<NavigationManager>().NavigateTo("batches");
        var list = otherTab.Render<Batches>();
        await Wait.UntilAsync(() => h.Events.SubscriberCount >= before + 2, "both pages to subscribe");
        list.WaitForAssertion(() => Assert.Single(list.FindAll($"[data-batch-row='{batch.Id}']")));
        Assert.Equal("0", page.Find("[data-total=batches]").TextContent);

        // A turn of the pruner (the hosted loop, another node's notice: not this page) removes the batch.
        h.Time.Advance(TimeSpan.FromDays(31));
        var report = await h.Engine.Services.GetRequiredService<RetentionPruner>().RunAsync();
        Assert.Equal(1, report.Batches);
        h.Time.Advance(LiveComponentBase.ReloadInterval);

        await page.WaitForAssertionAsync(() =>
        {
            Assert.Equal("1", page.Find("[data-total=batches]").TextContent);
            Assert.Equal("5", page.Find("[data-total=items]").TextContent);
            Assert.Contains("on test-node", page.Find("[data-testid=retention-last-run]").TextContent);
        });
        h.Time.Advance(LiveComponentBase.ReloadInterval);
        await list.WaitForAssertionAsync(() => Assert.Empty(list.FindAll($"[data-batch-row='{batch.Id}']")));
    }

    [Fact]
    public async Task Prune_now_runs_a_turn_and_says_what_went_and_a_viewer_is_refused_by_the_service()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var page = h.Context.Render<RetentionPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=prune-now]"));

        await page.Find("[data-testid=prune-now]").ClickAsync();

        await h.Overlays.WaitForAssertionAsync(() => Assert.Contains("Pruned", h.Overlays.Markup));
        page.WaitForAssertion(() => Assert.Contains("on test-node", page.Find("[data-testid=retention-last-run]").TextContent));

        var viewerTab = h.OpenTab();
        viewerTab.Services.GetRequiredService<TestUser>().Role = Roles.Viewer;
        var refused = viewerTab.Render<RetentionPage>();
        refused.WaitForAssertion(() => Assert.Equal(Actor.Refusal, refused.Find("[data-testid=retention-forbidden]").TextContent.Trim()));
        Assert.Empty(refused.FindAll("form"));
    }

    private static string? ErrorBeside<T>(IRenderedComponent<T> page, string inputId) where T : IComponent
    {
        var field = page.Find($"#{inputId}").Closest(".mud-input-control");
        return field?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() is { Length: > 0 } text ? text : null;
    }
}
