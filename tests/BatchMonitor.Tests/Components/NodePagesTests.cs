using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Storage;
using BatchMonitor.Web.Components.Live;
using BatchMonitor.Web.Components.Pages;
using BatchMonitor.Web.Components.Pages.Admin;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components;

/// <summary>The Nodes page and the batch page's "Running on" line, over the real store with node rows written by the test.</summary>
public sealed class NodePagesTests
{
    private static async Task AddNodeAsync(ComponentHarness h, string name)
    {
        await using var db = await h.Engine.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        db.Nodes.Add(new Node(Guid.CreateVersion7(), name, "host-" + name, "1.0", h.Time.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_node_that_starts_appears_and_one_that_stops_beating_turns_gone_without_a_refresh()
    {
        await using var h = await ComponentHarness.CreateAsync();
        await AddNodeAsync(h, "node-a");
        var before = h.Events.SubscriberCount;
        var page = h.Context.Render<Nodes>();
        await h.UntilSubscribedAsync(before);
        page.WaitForAssertion(() => Assert.Equal("up", page.Find("[data-node='node-a']").ParentElement!
            .QuerySelector("[data-status]")!.GetAttribute("data-status")));

        // node-b writes its first heartbeat on another node: its notice arrives here.
        await AddNodeAsync(h, "node-b");
        h.Engine.Services.GetRequiredService<NodeEvents>().ChangedOnOtherNode();
        h.Time.Advance(LiveComponentBase.ReloadInterval);
        await page.WaitForAssertionAsync(() => Assert.Equal(["node-a", "node-b"],
            page.FindAll("[data-node]").Select(e => e.GetAttribute("data-node"))));

        // Neither beats again: past the lease time (30 s) both show gone, with nothing read from the database.
        h.Time.Advance(TimeSpan.FromSeconds(31));
        await page.WaitForAssertionAsync(() => Assert.All(page.FindAll("td[data-status]"), td => Assert.Equal("gone", td.GetAttribute("data-status"))));
    }

    [Fact]
    public async Task The_batch_page_names_the_nodes_that_run_its_items_when_several_are_up()
    {
        await using var h = await ComponentHarness.CreateAsync();
        await AddNodeAsync(h, "node-a");
        await AddNodeAsync(h, "node-b");
        var batch = await h.CreateBatchAsync(10);
        await using (var db = await h.Engine.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync())
        {
            // Three items running, as two nodes' claims leave them (the test writes the rows; the engine is stopped).
            await db.Items.Where(i => i.BatchId == batch.Id && i.Index < 2)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ItemStatus.Running).SetProperty(i => i.LeaseNode, "node-a"));
            await db.Items.Where(i => i.BatchId == batch.Id && i.Index == 2)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ItemStatus.Running).SetProperty(i => i.LeaseNode, "node-b"));
        }
        var before = h.Events.SubscriberCount;
        var page = h.Context.Render<BatchDetails>(p => p.Add(x => x.Id, batch.Id));
        await h.UntilSubscribedAsync(before);
        Assert.Empty(page.FindAll("[data-testid=batch-nodes]"));

        // The batch's running count moves (its event): the page reads who runs them.
        h.Push(ComponentHarness.Running(batch, succeeded: 0, running: 3));
        h.Time.Advance(LiveComponentBase.ReloadInterval);
        await page.WaitForAssertionAsync(() =>
            Assert.Equal("Running on node-a (2 items) · node-b (1 item)", System.Text.RegularExpressions.Regex.Replace(page.Find("[data-testid=batch-nodes]").TextContent, @"\s+", " ").Trim()));
    }
}
