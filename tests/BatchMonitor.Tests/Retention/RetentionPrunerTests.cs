using BatchMonitor.Core.Audit;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Retention;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Tests.Retention;

/// <summary>
/// The pruner on a real database with a fake clock: which batches go (finished, older than the setting, from their
/// finish) and which never do, with every row they had; schedule history cut to its newest fires; the totals, the
/// settings and the rhythm of turns across a restart; two nodes at once; a removal left half done.
/// </summary>
public class RetentionPrunerTests
{
    protected virtual TestStore Store => TestStore.Sqlite;

    [Fact]
    public async Task Finished_batches_older_than_the_setting_go_with_their_items_attempts_and_logs_and_active_ones_never()
    {
        await using var h = await RetentionHarness.CreateAsync(Store, start: true);
        h.Handler.Behaviour = (item, _) =>
        {
            item.Log($"done {item.Key}");
            // Two items fail, so the batch has attempt rows (a success that ends an item is kept in the item's row).
            if (item.Index % 2 == 1) throw new InvalidOperationException("boom");
            return Task.FromResult<System.Text.Json.Nodes.JsonNode?>(null);
        };
        var completed = await h.CreateAsync(4, new OptionsInput { MaxAttempts = 1 });
        await h.WaitForStatusAsync(completed.Id, BatchStatus.Completed);
        await h.StopEngineAsync();
        var before = await h.RowsAsync(completed.Id);
        Assert.Equal(4, before.Items);
        Assert.Equal(2, before.Attempts);
        Assert.True(before.Lines >= 4);
        var cancelled = await h.CancelledAsync();
        var queued = await h.CreateAsync(2);
        var running = await h.CreateAsync(2);
        var paused = await h.CreateAsync(2);
        await using (var db = await h.Database.OpenAsync())
        {
            // Active batches as old as the finished ones (their rows written by the test; the engine is stopped).
            await using var move = db.CreateCommand();
            move.CommandText = $"UPDATE batches SET status = 'running' WHERE id = '{h.Database.Id(running.Id)}'; " +
                               $"UPDATE batches SET status = 'paused' WHERE id = '{h.Database.Id(paused.Id)}'";
            await move.ExecuteNonQueryAsync();
        }

        h.Time.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));
        var recent = await h.CancelledAsync();
        var deleted = new List<Guid>();
        using var _ = h.Events.SubscribeAll(c =>
        {
            if (c.Deleted) lock (deleted) deleted.Add(c.BatchId);
            return Task.CompletedTask;
        });
        var report = await h.Pruner().RunAsync();

        Assert.Equal((2L, 7L, 2L), (report.Batches, report.Items, report.Attempts));
        Assert.Equal(before.Lines, report.LogLines);
        Assert.Equal((0, 0, 0, false), await h.RowsAsync(completed.Id));
        Assert.Equal((0, 0, 0, false), await h.RowsAsync(cancelled.Id));
        foreach (var kept in new[] { queued, running, paused, recent })
        {
            var rows = await h.RowsAsync(kept.Id);
            Assert.Equal((kept.Total, true), (rows.Items, rows.Batch));
        }
        var totals = (await h.ViewAsync()).Totals;
        Assert.Equal((2L, 7L, 2L, before.Lines, 0L), (totals.Batches, totals.Items, totals.Attempts, totals.LogLines, totals.ScheduleRuns));
        Assert.Equal(h.Time.UtcNow, totals.LastRunAt);
        // Pages showing either batch hear that it is gone.
        await Wait.UntilAsync(() => { lock (deleted) return deleted.Count == 2; }, "both pruned batches to be announced as deleted");
        Assert.Equal(new[] { completed.Id, cancelled.Id }.Order(), deleted.Order());
    }

    [Fact]
    public async Task Age_counts_from_the_finish_and_zero_days_keeps_batches_forever()
    {
        await using var h = await RetentionHarness.CreateAsync(Store, new RetentionOptions { FinishedBatchDays = 0 });
        var batch = await h.CreateAsync(2);
        h.Time.Advance(TimeSpan.FromDays(60));
        var finishedLate = await h.CancelledAsync(2);
        Assert.True((await h.Batches.CancelAsync(batch.Id, RetentionHarness.Admin)).IsOk);
        h.Time.Advance(TimeSpan.FromDays(400));

        Assert.Equal(0, (await h.Pruner().RunAsync()).Batches);
        Assert.True((await h.RowsAsync(batch.Id)).Batch);

        // Created 460 days ago but finished 400 days ago: with 401 days it stays, with 399 it goes.
        Assert.True((await h.Retention().UpdateAsync(new RetentionInput(401, null), RetentionHarness.Admin)).View is not null);
        Assert.Equal(0, (await h.Pruner().RunAsync()).Batches);
        Assert.True((await h.Retention().UpdateAsync(new RetentionInput(399, null), RetentionHarness.Admin)).View is not null);
        Assert.Equal(2, (await h.Pruner().RunAsync()).Batches);
        Assert.False((await h.RowsAsync(finishedLate.Id)).Batch);
    }

    [Fact]
    public async Task A_large_batch_goes_in_chunks_each_a_transaction_of_its_own()
    {
        await using var h = await RetentionHarness.CreateAsync(Store, new RetentionOptions { ChunkSize = 10 });
        var batch = await h.CreateAsync(35);
        Assert.True((await h.Batches.CancelAsync(batch.Id, RetentionHarness.Admin)).IsOk);
        await using (var db = await h.DbAsync())
        {
            var b = await db.Batches.SingleAsync(x => x.Id == batch.Id);
            b.MarkForRemoval(h.Time.UtcNow);
            await db.SaveChangesAsync();
        }
        var chunks = new List<RemovedRows>();
        var removed = await h.Services.GetRequiredService<BatchRemover>().RemoveAsync(batch.Id, default, async (db, chunk) =>
        {
            chunks.Add(chunk);
            // Inside the chunk's own transaction: what is left is the batch less the chunks before and this one.
            Assert.Equal(35 - chunks.Sum(c => c.Items), await db.Items.CountAsync(i => i.BatchId == batch.Id));
            return true;
        });

        Assert.Equal([10L, 10L, 10L, 5L], chunks.Select(c => c.Items));
        Assert.Equal([false, false, false, true], chunks.Select(c => c.BatchRemoved));
        Assert.Equal((35L, true), (removed.Items, removed.BatchRemoved));
        Assert.False((await h.RowsAsync(batch.Id)).Batch);
    }

    [Fact]
    public async Task A_batch_being_removed_cannot_be_retried_or_copied_and_the_next_turn_finishes_a_removal_left_half_done()
    {
        await using var h = await RetentionHarness.CreateAsync(Store, new RetentionOptions { ChunkSize = 10, FinishedBatchDays = 0 });
        var batch = await h.CancelledAsync(25);
        await using (var db = await h.DbAsync())
        {
            var b = await db.Batches.SingleAsync(x => x.Id == batch.Id);
            b.MarkForRemoval(h.Time.UtcNow);
            await db.SaveChangesAsync();
        }
        // A remover that went away after its first chunk (its process died, its request was cut off).
        await h.Services.GetRequiredService<BatchRemover>().RemoveAsync(batch.Id, default, (_, _) => Task.FromResult(false));
        Assert.Equal(15, (await h.RowsAsync(batch.Id)).Items);

        var retry = await h.Batches.RetryItemAsync(batch.Id, 20, RetentionHarness.Admin);
        Assert.Equal(Core.Engine.ChangeOutcome.Conflict, retry.Outcome);
        Assert.Equal(Core.Services.BatchService.BeingDeleted, (await h.Batches.CloneAsync(batch.Id, RetentionHarness.Admin))!.Conflict);
        Assert.Equal(BatchStatus.Cancelled, (await h.GetAsync(batch.Id)).Status);

        // Not while the remover might still be at it (its lease time), then by the next turn, even with batches kept forever.
        Assert.Equal(0, (await h.Pruner().RunAsync()).Items);
        h.Time.Advance(new RetentionOptions().Lease + TimeSpan.FromSeconds(1));
        var report = await h.Pruner().RunAsync();
        Assert.Equal((1L, 15L), (report.Batches, report.Items));
        Assert.False((await h.RowsAsync(batch.Id)).Batch);
    }

    [Fact]
    public async Task Each_schedule_keeps_its_newest_fires()
    {
        await using var h = await RetentionHarness.CreateAsync(Store, new RetentionOptions { ChunkSize = 10 });
        var busy = Guid.NewGuid();
        var quiet = Guid.NewGuid();
        await using (var db = await h.DbAsync())
        {
            foreach (var id in new[] { busy, quiet })
                db.Schedules.Add(new Schedule(id, $"schedule {id}", h.Time.UtcNow, "admin@test") { IntervalSeconds = 60 });
            for (var i = 0; i < 25; i++)
                db.ScheduleRuns.Add(new ScheduleRun(busy, h.Time.UtcNow.AddMinutes(i), h.Time.UtcNow.AddMinutes(i), RunOutcome.Started, null, null, false));
            for (var i = 0; i < 3; i++)
                db.ScheduleRuns.Add(new ScheduleRun(quiet, h.Time.UtcNow.AddMinutes(i), h.Time.UtcNow.AddMinutes(i), RunOutcome.Skipped, null, null, false));
            await db.SaveChangesAsync();
        }
        var changed = new List<Guid>();
        using var _ = h.Services.GetRequiredService<ScheduleEvents>().Subscribe(id => { lock (changed) changed.Add(id); });
        await h.Retention().UpdateAsync(new RetentionInput(null, 5), RetentionHarness.Admin);

        var report = await h.Pruner().RunAsync();

        Assert.Equal(20, report.ScheduleRuns);
        await using (var db = await h.DbAsync())
        {
            var kept = await db.ScheduleRuns.Where(r => r.ScheduleId == busy).OrderBy(r => r.FireAt).Select(r => r.FireAt).ToListAsync();
            Assert.Equal(Enumerable.Range(20, 5).Select(i => h.Time.UtcNow.AddMinutes(i)), kept);
            Assert.Equal(3, await db.ScheduleRuns.CountAsync(r => r.ScheduleId == quiet));
        }
        Assert.Equal(20, (await h.ViewAsync()).Totals.ScheduleRuns);
        await Wait.UntilAsync(() => { lock (changed) return changed.Contains(busy); }, "the pruned schedule's page to hear of it");
    }

    [Fact]
    public async Task After_a_restart_the_settings_totals_and_rhythm_of_turns_carry_on()
    {
        var database = await Store.CreateDatabaseAsync();
        await using var _ = database;
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var start = time.UtcNow;
        Guid later;
        DateTime planned;
        await using (var first = await RetentionHarness.CreateAsync(Store, database: database, time: time, withLoop: true))
        {
            await first.StartRetentionLoopAsync();
            await Wait.UntilAsync(async () => (await first.ViewAsync()).NextRunAt is not null, "the loop to plan its first turn");
            Assert.Equal(start.AddHours(1), (await first.ViewAsync()).NextRunAt);
            await first.StopRetentionLoopAsync();
            Assert.True((await first.Retention().UpdateAsync(new RetentionInput(7, 50), RetentionHarness.Admin)).View is not null);
            await first.CancelledAsync(4);
            time.Advance(TimeSpan.FromDays(1));
            later = (await first.CancelledAsync(2)).Id;
            time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(30));
            // The first batch is 8 days old, the later one not quite 7.
            Assert.Equal(1, (await first.Pruner().RunAsync()).Batches);
            planned = (await first.ViewAsync()).NextRunAt!.Value;
            Assert.Equal(time.UtcNow.AddHours(1), planned);
        }
        time.Advance(TimeSpan.FromMinutes(40));

        // A new process on the same database: the settings are the stored ones, the totals go on from where they were.
        await using var second = await RetentionHarness.CreateAsync(Store, database: database, time: time, withLoop: true);
        var view = await second.ViewAsync();
        Assert.Equal(new RetentionSetting(7, SettingSources.Database), view.FinishedBatchDays);
        Assert.Equal(new RetentionSetting(50, SettingSources.Database), view.ScheduleRunsKept);
        Assert.Equal("admin@test", view.ChangedBy);
        Assert.Equal((1L, 4L), (view.Totals.Batches, view.Totals.Items));
        Assert.Equal(planned, view.NextRunAt);

        var reports = new List<PruneReport>();
        second.Services.GetRequiredService<RetentionEvents>().Changed += r => { if (r is not null) lock (reports) reports.Add(r); };
        var timers = time.PendingTimers;
        await second.StartRetentionLoopAsync();
        await Wait.UntilAsync(() => time.PendingTimers > timers, "the loop to wait for the next turn");
        // The turn planned before the restart (20 minutes from now, not an interval from this start) runs by itself,
        // when the later batch is past 7 days; the totals add up across both processes.
        time.Advance(TimeSpan.FromMinutes(20));
        await Wait.UntilAsync(() => { lock (reports) return reports.Count == 1; }, "the loop's turn");
        Assert.Equal(1, reports[0].Batches);
        Assert.False((await second.RowsAsync(later)).Batch);
        var after = await second.ViewAsync();
        Assert.Equal((2L, 6L), (after.Totals.Batches, after.Totals.Items));
        Assert.Equal(planned, after.LastRunAt);
        Assert.Equal(planned.AddHours(1), after.NextRunAt);
    }

    [Fact]
    public async Task Two_nodes_pruning_at_once_remove_each_batch_once_and_count_it_once()
    {
        var database = await Store.CreateDatabaseAsync();
        await using var _ = database;
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var options = new RetentionOptions { ChunkSize = 10 };
        await using var a = await RetentionHarness.CreateAsync(Store, options, database: database, time: time, node: "node-a");
        await using var b = await RetentionHarness.CreateAsync(Store, options, database: database, time: time, node: "node-b");
        var batches = new List<Guid>();
        for (var i = 0; i < 6; i++) batches.Add((await a.CancelledAsync(15)).Id);
        time.Advance(TimeSpan.FromDays(31));

        var (first, second) = await Race.AtOnceAsync(() => a.Pruner().RunAsync(), () => b.Pruner().RunAsync());
        var reports = new[] { first, second };

        Assert.Equal(6, reports.Sum(r => r.Batches));
        Assert.Equal(90, reports.Sum(r => r.Items));
        Assert.Contains(reports, r => r.Ran);
        var totals = (await a.ViewAsync()).Totals;
        Assert.Equal((6L, 90L), (totals.Batches, totals.Items));
        foreach (var id in batches) Assert.False((await a.RowsAsync(id)).Batch);
        Assert.Null((await a.ViewAsync()).RunningOn);
    }

    [Fact]
    public async Task A_node_holding_the_turn_keeps_the_others_out_until_its_lease_runs_out()
    {
        var database = await Store.CreateDatabaseAsync();
        await using var _ = database;
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        await using var a = await RetentionHarness.CreateAsync(Store, database: database, time: time, node: "node-a");
        await using (var db = await a.DbAsync())
        {
            // node-b took the turn and went away without giving it back.
            await db.RetentionState.ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseNode, "node-b")
                .SetProperty(x => x.LeaseUntil, time.UtcNow.AddMinutes(5)));
        }
        await a.CancelledAsync();
        time.Advance(TimeSpan.FromDays(31) - TimeSpan.FromMinutes(10));
        await using (var db = await a.DbAsync())
            await db.RetentionState.ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseUntil, time.UtcNow.AddMinutes(5)));

        var busy = await a.Retention().RunNowAsync(RetentionHarness.Admin);
        Assert.Equal(RetentionOutcome.Busy, busy.Outcome);
        Assert.Equal("node-b", busy.Report!.BusyOn);
        Assert.Equal("node-b", (await a.ViewAsync()).RunningOn);

        time.Advance(TimeSpan.FromMinutes(16));
        var ran = await a.Retention().RunNowAsync(RetentionHarness.Admin);
        Assert.Equal((RetentionOutcome.Ok, 1L), (ran.Outcome, ran.Report!.Batches));
        Assert.Equal("node-a", (await a.ViewAsync()).LastRunNode);
    }

    [Fact]
    public async Task Settings_are_for_admins_only_are_checked_and_audited_and_each_turn_is_logged()
    {
        var logs = new LogCapture();
        await using var h = await Store.HarnessAsync(start: false, configure: s => s.AddLogging(l => l.AddProvider(logs)));
        var retention = h.Retention();
        var viewer = Core.Access.Actor.Viewer("viewer@test");

        Assert.Equal(RetentionOutcome.Forbidden, (await retention.GetAsync(viewer)).Outcome);
        Assert.Equal(RetentionOutcome.Forbidden, (await retention.UpdateAsync(new RetentionInput(1, 1), viewer)).Outcome);
        Assert.Equal(RetentionOutcome.Forbidden, (await retention.RunNowAsync(viewer)).Outcome);
        var refused = await retention.UpdateAsync(new RetentionInput(-1, RetentionOptions.MaxScheduleRunsKept + 1), RetentionHarness.Admin);
        Assert.Equal(RetentionOutcome.Invalid, refused.Outcome);
        Assert.Equal([RetentionSettings.DaysField, RetentionSettings.RunsField], refused.Errors!.ToDictionary().Keys.Order());
        var view = await h.ViewAsync();
        Assert.Equal(new RetentionSetting(30, SettingSources.Default), view.FinishedBatchDays);
        Assert.Equal(new RetentionSetting(1000, SettingSources.Default), view.ScheduleRunsKept);
        Assert.Null(view.ChangedBy);
        var audit = h.Services.GetRequiredService<AuditTrail>();
        Assert.Equal(0, (await audit.ListAsync(new AuditQuery(AuditSubjects.Retention, null, null, 10, 0))).Total);

        Assert.Equal(RetentionOutcome.Ok, (await retention.UpdateAsync(new RetentionInput(14, null), RetentionHarness.Admin)).Outcome);
        await retention.RunNowAsync(RetentionHarness.Admin);

        var entries = (await audit.ListAsync(new AuditQuery(AuditSubjects.Retention, null, null, 10, 0))).Items;
        Assert.Equal([AuditActions.RetentionRun, AuditActions.RetentionChanged], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(("admin@test", "203.0.113.7"), (e.Actor, e.Address)));
        Assert.Contains("14 days", entries[1].Detail);
        view = await h.ViewAsync();
        Assert.Equal(new RetentionSetting(14, SettingSources.Database), view.FinishedBatchDays);
        Assert.Equal(new RetentionSetting(1000, SettingSources.Default), view.ScheduleRunsKept);
        Assert.Contains(logs.Lines, l => l.Contains("Retention pruned 0 finished batches") && l.Contains("Node=test-node"));
    }
}
