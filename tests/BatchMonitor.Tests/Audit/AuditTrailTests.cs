using System.Text.Json.Nodes;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Audit;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Audit;

/// <summary>The audit records a change with the change, and a refused change not at all.</summary>
public class AuditTrailTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in AuditTrailTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    private static readonly Actor Admin = Actor.Admin("admin@example.com") with { Address = "203.0.113.7" };

    private static Task<Core.Views.Page<AuditView>> ListAsync(EngineHarness h, AuditQuery? query = null) =>
        h.Services.GetRequiredService<AuditTrail>().ListAsync(query ?? new AuditQuery());

    [Fact]
    public async Task A_change_of_a_batch_is_recorded_with_who_when_and_from_where_newest_first()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var batch = await h.CreateAsync(2);
        Assert.True((await h.Batches.CancelAsync(batch.Id, Admin)).IsOk);

        var entries = (await ListAsync(h, new AuditQuery(Subject: AuditSubjects.Batch(batch.Id)))).Items;
        Assert.Equal([AuditActions.BatchCancelled, AuditActions.BatchCreated], entries.Select(e => e.Action));
        Assert.Equal(("admin@example.com", "203.0.113.7", h.Time.UtcNow), (entries[0].Actor, entries[0].Address, entries[0].At));
        Assert.Equal("test", entries[1].Actor);
        Assert.Contains("2 items", entries[1].Detail);
    }

    [Fact]
    public async Task A_refused_change_writes_no_entry_whether_the_role_the_state_or_the_item_refuses_it()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var batch = await h.CreateAsync(2);
        var datasets = h.Services.CreateScope().ServiceProvider.GetRequiredService<DatasetService>();
        var before = (await ListAsync(h)).Total;

        Assert.False((await h.Batches.PauseAsync(batch.Id, Actor.Viewer("viewer@example.com"))).IsOk);     // role
        Assert.False((await h.Batches.ResumeAsync(batch.Id, Admin)).IsOk);                                 // state: queued, not paused
        Assert.False((await h.Batches.RetryItemAsync(batch.Id, 0, Admin)).IsOk);                            // item: pending
        Assert.False((await h.Batches.RetryItemAsync(batch.Id, 5, Admin)).IsOk);                            // no such item
        Assert.False((await h.Batches.DeleteAsync(batch.Id, Admin)).IsOk);                                  // not finished
        Assert.False((await h.Batches.CreateAsync(new CreateBatchRequest { Handler = "nope", Items = [new ItemInput("a")] }, Admin)).IsOk);
        Assert.False((await datasets.CreateAsync("", [new ItemInput("a")], Admin)).IsOk);                   // invalid

        Assert.Equal(before, (await ListAsync(h)).Total);
        Assert.Equal(BatchStatus.Queued, (await h.GetAsync(batch.Id)).Status);
    }

    [Fact]
    public async Task Entries_are_found_by_a_subject_or_its_kind_by_actor_and_by_action()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var one = await h.CreateAsync(1);
        var two = await h.CreateAsync(1);
        Assert.True((await h.Batches.SetPriorityAsync(two.Id, 5, Admin)).IsOk);
        var datasets = h.Services.CreateScope().ServiceProvider.GetRequiredService<DatasetService>();
        Assert.True((await datasets.CreateAsync("accounts", [new ItemInput("a")], Admin)).IsOk);

        Assert.Equal(3, (await ListAsync(h, new AuditQuery(Subject: "batch"))).Total);
        Assert.Single((await ListAsync(h, new AuditQuery(Subject: AuditSubjects.Batch(one.Id)))).Items);
        Assert.Equal([AuditActions.DatasetCreated, AuditActions.BatchReprioritised],
            (await ListAsync(h, new AuditQuery(Actor: "admin@example.com"))).Items.Select(e => e.Action));
        var page = await ListAsync(h, new AuditQuery(Action: AuditActions.BatchCreated, Limit: 1, Offset: 1));
        Assert.Equal((2, AuditSubjects.Batch(one.Id)), (page.Total, Assert.Single(page.Items).Subject));
    }
}
