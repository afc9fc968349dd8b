using BatchMonitor.Core.Audit;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Storage.Ledger;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Components.Batches;
using AuditPage = BatchMonitor.Web.Components.Pages.Admin.Audit;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components;

/// <summary>An item's view on the batch page: its attempt timeline, live, and Retry for admins; and the Audit page.</summary>
public sealed class ItemDetailsTests
{
    /// <summary>Item 0 of a running batch, claimed by the ledger as the engine would (the engine itself is stopped).</summary>
    private static async Task<(BatchView Batch, BatchItem Item, BatchMonitorDbContext Db, IItemLedger Ledger)> RunningItemAsync(ComponentHarness h)
    {
        var batch = await h.CreateBatchAsync(2);
        var db = await h.Engine.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("UPDATE batches SET status = 'running' WHERE id = {0}", SqlValues.Id(db.Database.GetDbConnection(), batch.Id));
        var ledger = ItemLedger.For(db);
        await using var claim = await db.Database.BeginTransactionAsync();
        var item = (await ledger.ClaimAsync(batch.Id, 1, null, new Lease("test-node", h.Time.UtcNow.AddSeconds(30)), h.Time.UtcNow,
            CancellationToken.None)).Items[0];
        await ledger.SaveCountersAsync(CancellationToken.None);
        await claim.CommitAsync();
        return (batch, item, db, ledger);
    }

    private static async Task FinishAsync(BatchMonitorDbContext db, IItemLedger ledger, BatchItem item)
    {
        await using var finish = await db.Database.BeginTransactionAsync();
        Assert.True(await ledger.FinishAsync(item, "test-node", CancellationToken.None));
        await ledger.SaveCountersAsync(CancellationToken.None);
        await finish.CommitAsync();
    }

    private static async Task<IRenderedComponent<ItemDetails>> OpenAsync(ComponentHarness h, Guid batchId, ItemView item)
    {
        var before = h.Events.SubscriberCount;
        var view = h.Context.Render<ItemDetails>(p => p.Add(x => x.BatchId, batchId).Add(x => x.Item, item));
        await h.UntilSubscribedAsync(before);
        return view;
    }

    [Fact]
    public async Task An_attempt_that_ends_while_the_item_is_open_appears_when_its_event_arrives()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var (batch, item, db, ledger) = await RunningItemAsync(h);
        await using var _ = db;
        await using var __ = ledger;
        var view = await OpenAsync(h, batch.Id, ItemView.From(item) with { BatchId = batch.Id });
        view.WaitForAssertion(() =>
        {
            Assert.Equal("1", view.Find("[data-running-attempt]").GetAttribute("data-running-attempt"));
            Assert.NotNull(view.Find("[data-no-attempts]"));
        });

        item.Fail(h.Time.UtcNow.AddSeconds(2), "upstream said 503");
        item.Explain("System.Net.Http.HttpRequestException: 503\n   at Demo.Run()");
        await FinishAsync(db, ledger, item);
        h.Events.Publish(new BatchChange(batch.Id, null, [ItemView.From(item)], []));
        h.Time.Advance(BatchMonitor.Web.Components.Live.LiveComponentBase.ReloadInterval);

        view.WaitForAssertion(() =>
        {
            var attempt = view.Find("[data-attempt='1']");
            Assert.Equal("failed", attempt.GetAttribute("data-outcome"));
            Assert.Contains("upstream said 503", attempt.TextContent);
            Assert.Contains("test-node", attempt.TextContent);
            Assert.Contains("HttpRequestException", attempt.QuerySelector("details pre")!.TextContent);
            Assert.Empty(view.FindAll("[data-running-attempt]"));
            Assert.False(view.Find("[data-action='retry-item']").HasAttribute("disabled"));
        });
    }

    [Fact]
    public async Task An_admin_retries_a_failed_item_from_its_view_and_a_viewer_is_told_why_not()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var (batch, item, db, ledger) = await RunningItemAsync(h);
        await using var _ = db;
        await using var __ = ledger;
        item.Fail(h.Time.UtcNow, "boom");
        await FinishAsync(db, ledger, item);
        var failed = ItemView.From(item) with { BatchId = batch.Id };

        var view = await OpenAsync(h, batch.Id, failed);
        await view.Find("[data-action='retry-item']").ClickAsync(new());
        view.WaitForAssertion(() => Assert.Contains("pending again", view.Find("[role=status]").TextContent));
        Assert.Equal(ItemStatus.Pending, (await db.Items.AsNoTracking().SingleAsync(i => i.BatchId == batch.Id && i.Index == 0)).Status);
        var entry = Assert.Single((await h.Engine.Services.GetRequiredService<AuditTrail>()
            .ListAsync(new AuditQuery(Action: AuditActions.ItemRetried))).Items);
        Assert.Equal(("admin@example.com", AuditSubjects.Batch(batch.Id)), (entry.Actor, entry.Subject));

        var viewer = h.OpenTab();
        var user = viewer.Services.GetRequiredService<TestUser>();
        (user.Name, user.Role) = ("viewer@example.com", Roles.Viewer);
        var looked = viewer.Render<ItemDetails>(p => p.Add(x => x.BatchId, batch.Id).Add(x => x.Item, failed));
        looked.WaitForAssertion(() =>
        {
            Assert.Contains("Only an admin can retry", looked.Find("[data-retry-denied]").TextContent);
            Assert.Empty(looked.FindAll("[data-action='retry-item']"));
        });
    }

    [Fact]
    public async Task The_audit_page_shows_the_entries_its_query_string_filters_on()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var one = await h.CreateBatchAsync(1);
        var two = await h.CreateBatchAsync(1);
        Assert.True((await h.Engine.Batches.CancelAsync(two.Id, Core.Access.Actor.Admin("ann@example.com"))).IsOk);
        var nav = h.Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();

        nav.NavigateTo($"admin/audit?subject={AuditSubjects.Batch(two.Id)}");
        var page = h.Context.Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal([AuditActions.BatchCancelled, AuditActions.BatchCreated],
            page.FindAll("[data-audit-action]").Select(e => e.GetAttribute("data-audit-action"))));

        nav.NavigateTo("admin/audit?actor=ann@example.com");
        page = h.Context.Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal([AuditActions.BatchCancelled],
            page.FindAll("[data-audit-action]").Select(e => e.GetAttribute("data-audit-action"))));

        nav.NavigateTo("admin/audit?action=batch.created");
        page = h.Context.Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-audit-total]").GetAttribute("data-audit-total")));
        Assert.Contains(one.Id.ToString(), page.Markup);
    }
}
