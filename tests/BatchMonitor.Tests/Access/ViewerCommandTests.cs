using System.Text.Json;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Scheduling;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Access;

/// <summary>
/// Every command of the batch, dataset and schedule services refuses a viewer by itself, whoever calls it (a page,
/// an endpoint, a future caller), and stores nothing; the same command from an admin goes through.
/// </summary>
public class ViewerCommandTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in ViewerCommandTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    private static readonly Actor Viewer = Actor.Viewer("viewer@example.com");
    private static readonly Actor Admin = Actor.Admin("admin@example.com");

    /// <summary>What a test sets up as an admin: a queued batch, a finished one with a failed item, a dataset, a schedule.</summary>
    public sealed record World(EngineHarness Harness, Guid BatchId, Guid FinishedBatchId, Guid DatasetId, Guid ScheduleId)
    {
        public BatchService Batches => Harness.Batches;
        public DatasetService Datasets => Harness.Services.CreateScope().ServiceProvider.GetRequiredService<DatasetService>();
        public ScheduleService Schedules => Harness.Schedules();
    }

    /// <summary>Each command, answering whether it was refused for the actor's role.</summary>
    public static TheoryData<string> Commands() => new(CommandTable.Keys);

    private static readonly Dictionary<string, Func<World, Actor, Task<bool>>> CommandTable = new()
    {
        ["batch create"] = async (w, a) => (await w.Batches.CreateAsync(Request(), a)).IsForbidden,
        ["batch create from a dataset"] = async (w, a) => (await w.Batches.CreateAsync(
            new CreateBatchRequest { Handler = "scripted", Source = new BatchSource { DatasetId = w.DatasetId } }, a)).IsForbidden,
        ["batch clone"] = async (w, a) => (await w.Batches.CloneAsync(w.BatchId, a))!.IsForbidden,
        ["batch pause"] = async (w, a) => Refused(await w.Batches.PauseAsync(w.BatchId, a)),
        ["batch resume"] = async (w, a) => Refused(await w.Batches.ResumeAsync(w.BatchId, a)),
        ["batch cancel"] = async (w, a) => Refused(await w.Batches.CancelAsync(w.BatchId, a)),
        ["batch retry failed"] = async (w, a) => Refused(await w.Batches.RetryFailedAsync(w.FinishedBatchId, a)),
        ["batch priority"] = async (w, a) => Refused(await w.Batches.SetPriorityAsync(w.BatchId, 7, a)),
        ["batch delete"] = async (w, a) => Refused(await w.Batches.DeleteAsync(w.FinishedBatchId, a)),
        ["dataset create"] = async (w, a) => Refused(await w.Datasets.CreateAsync("more", [new ItemInput("x")], a)),
        ["dataset append"] = async (w, a) => Refused(await w.Datasets.AppendAsync(w.DatasetId, [new ItemInput("new")], a)),
        ["dataset rename"] = async (w, a) => Refused(await w.Datasets.RenameAsync(w.DatasetId, "renamed", a)),
        ["dataset delete"] = async (w, a) => Refused(await w.Datasets.DeleteAsync(w.DatasetId, a)),
        ["schedule create"] = async (w, a) => Refused(await w.Schedules.CreateAsync(ScheduleHarness.EveryMinute() with { Name = "another" }, a)),
        ["schedule update"] = async (w, a) => Refused(await w.Schedules.UpdateAsync(w.ScheduleId,
            ScheduleHarness.EveryMinute() with { Name = "changed", IntervalSeconds = 120 }, a)),
        ["schedule enable"] = async (w, a) => Refused(await w.Schedules.SetEnabledAsync(w.ScheduleId, false, a)),
        ["schedule delete"] = async (w, a) => Refused(await w.Schedules.DeleteAsync(w.ScheduleId, a)),
        ["schedule run now"] = async (w, a) => (await w.Schedules.RunNowAsync(w.ScheduleId, a)).Outcome == ChangeOutcome.Forbidden,
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task A_viewer_is_refused_and_nothing_changes(string command)
    {
        await using var world = await ArrangeAsync();
        var before = await SnapshotAsync(world.World);

        Assert.True(await CommandTable[command](world.World, Viewer), $"{command} was not refused for a viewer");

        Assert.Equal(before, await SnapshotAsync(world.World));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task An_admin_is_not_refused(string command)
    {
        await using var world = await ArrangeAsync();

        Assert.False(await CommandTable[command](world.World, Admin), $"{command} was refused for an admin");
    }

    private static bool Refused(ChangeResult result) => result.Outcome == ChangeOutcome.Forbidden;

    private static bool Refused(DatasetResult result) => result.Outcome == ChangeOutcome.Forbidden;

    private static bool Refused(ScheduleResult result) => result.Outcome == ChangeOutcome.Forbidden;

    private static CreateBatchRequest Request() => new() { Handler = "scripted", Items = [new ItemInput("a"), new ItemInput("b")] };

    private sealed class Arranged(World world) : IAsyncDisposable
    {
        public World World { get; } = world;

        public ValueTask DisposeAsync() => World.Harness.DisposeAsync();
    }

    /// <summary>
    /// A finished batch with a failed item (so retry failed and delete apply), then, with the engine stopped, a queued
    /// batch that pause, resume (after a pause), cancel and priority can act on; a dataset and a schedule.
    /// </summary>
    private async Task<Arranged> ArrangeAsync()
    {
        var h = await Store.HarnessAsync();
        h.Handler.Behaviour = (item, _) => item.Key == "bad"
            ? throw new ItemFailedException("bad row")
            : Task.FromResult<System.Text.Json.Nodes.JsonNode?>(null);
        var finished = (await h.Batches.CreateAsync(new CreateBatchRequest
        {
            Handler = "scripted", Items = [new ItemInput("ok"), new ItemInput("bad")], Options = new OptionsInput { MaxAttempts = 1 },
        }, Admin)).Batch!;
        await h.WaitForStatusAsync(finished.Id, Core.Domain.BatchStatus.Completed);
        await h.StopEngineAsync();

        var queued = (await h.Batches.CreateAsync(Request(), Admin)).Batch!;
        var datasets = h.Services.CreateScope().ServiceProvider.GetRequiredService<DatasetService>();
        var dataset = (await datasets.CreateAsync("accounts", [new ItemInput("alice"), new ItemInput("bob")], Admin)).Dataset!;
        var schedule = await h.CreateScheduleAsync(ScheduleHarness.EveryMinute());
        var world = new World(h, queued.Id, finished.Id, dataset.Id, schedule.Id);
        return new Arranged(world);
    }

    /// <summary>Everything a command could change, as text: batches with their items, datasets with rows, schedules with history.</summary>
    private static async Task<string> SnapshotAsync(World w)
    {
        var batches = await w.Batches.ListAsync(new BatchListQuery { Limit = 100 });
        var items = new List<object>();
        foreach (var batch in batches.Items) items.Add((await w.Batches.ItemsAsync(batch.Id, new ItemQuery()))!.Items);
        var datasets = await w.Datasets.ListAsync();
        var rows = new List<object>();
        foreach (var dataset in datasets) rows.Add((await w.Datasets.RowsAsync(dataset.Id, new DatasetRowQuery()))!);
        var schedules = await w.Schedules.ListAsync();
        var history = new List<object>();
        foreach (var schedule in schedules) history.Add((await w.Schedules.HistoryAsync(schedule.Id))!.Total);
        return JsonSerializer.Serialize(new { batches, items, datasets, rows, schedules, history });
    }
}
