using System.Text.Json;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Json;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Scheduling;

/// <summary>
/// Acts on one fire of a schedule: applies the misfire policy when the fire was missed (the server was down),
/// refuses to overlap a previous run that is still queued, running or paused (and within its maximum run time),
/// starts the batch through the
/// batch service, and records what it did in the history together with the schedule's next fire (consecutive clock
/// fires skipped for the same reason update one row: <see cref="SkippedFires"/>).
/// Fires are handled one at a time, so a clock fire and "Run now" cannot both start a run; on PostgreSQL also across
/// nodes (<see cref="ScheduleTurn"/>), so each occurrence fires once whichever nodes are up.
/// </summary>
public sealed class ScheduleFirer(
    IDbContextFactory<BatchMonitorDbContext> contexts,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ScheduleEvents events,
    ILogger<ScheduleFirer> logger)
{
    /// <summary>A fire handled later than this was missed (Quartz's default threshold).</summary>
    public static readonly TimeSpan MisfireThreshold = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Handles the schedule's due fire, if it is still due.</summary>
    internal async Task FireDueAsync(Guid id, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            await using var turn = await ScheduleTurn.TakeAsync(db, id, ct);
            var schedule = await db.Schedules.SingleOrDefaultAsync(s => s.Id == id, ct);
            var now = time.GetUtcNow().UtcDateTime;
            // Another node may have fired it while this one waited for its turn: then it is no longer due.
            if (schedule is not { Enabled: true, NextRunAt: { } fireAt } || fireAt > now) return;

            var times = FireTimes.For(schedule.Cron, schedule.IntervalSeconds, schedule.TimeZone);
            ScheduleRun run;
            if (now - fireAt > MisfireThreshold)
            {
                var missed = times.CountBetween(fireAt, now);
                var window = $"{Local(times, fireAt)} – {Local(times, now)}";
                run = schedule.MisfirePolicy == MisfirePolicy.RunOnce
                    ? await StartAsync(db, schedule, fireAt, now, manual: false, $"Catch-up run for {missed} run(s) missed while the server was down ({window}).", ct)
                    : new ScheduleRun(id, fireAt, now, RunOutcome.Skipped, $"Missed {missed} run(s) while the server was down ({window}).", null, false);
                schedule.NextRunAt = times.NextAfter(now);
            }
            else
            {
                run = await StartAsync(db, schedule, fireAt, now, manual: false, null, ct);
                var next = times.NextAfter(fireAt);
                schedule.NextRunAt = next is { } n && n > now ? n : times.NextAfter(now);
            }
            await RecordAsync(db, turn, schedule, run, now, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts a run at once, unless the previous one is still active (recorded as a skip either way).</summary>
    /// <param name="started">Adds to the context what is written with a run that started (its audit entry).</param>
    internal async Task<RunNowResult> RunNowAsync(Guid id, CancellationToken ct, Action<BatchMonitorDbContext>? started = null)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            await using var turn = await ScheduleTurn.TakeAsync(db, id, ct);
            var schedule = await db.Schedules.SingleOrDefaultAsync(s => s.Id == id, ct);
            if (schedule is null) return new RunNowResult(ChangeOutcome.NotFound, null, "No schedule has this id.");
            var now = time.GetUtcNow().UtcDateTime;
            var run = await StartAsync(db, schedule, now, now, manual: true, null, ct);
            if (run.Outcome == RunOutcome.Started) started?.Invoke(db);
            await RecordAsync(db, turn, schedule, run, now, ct);
            var view = new ScheduleRunView(run.Id, run.FireAt, run.At, run.Outcome, run.Reason, run.BatchId, true);
            return run.Outcome == RunOutcome.Started
                ? new RunNowResult(ChangeOutcome.Ok, view, null)
                : new RunNowResult(ChangeOutcome.Conflict, view, run.Reason);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ScheduleRun> StartAsync(BatchMonitorDbContext db, Schedule schedule, DateTime fireAt, DateTime now,
        bool manual, string? note, CancellationToken ct)
    {
        // A run past its maximum run time is being stopped: it no longer holds the next fire back.
        var active = await db.Batches.AsNoTracking()
            .Where(b => b.ScheduleId == schedule.Id
                        && (b.Status == BatchStatus.Queued || b.Status == BatchStatus.Running || b.Status == BatchStatus.Paused)
                        && (b.DeadlineAt == null || b.DeadlineAt > now))
            .Select(b => new { b.Name, b.Status }).FirstOrDefaultAsync(ct);
        if (active is not null)
            return new ScheduleRun(schedule.Id, fireAt, now, RunOutcome.Skipped,
                SkippedFires.StillActive(active.Name, active.Status.Name()), null, manual);

        var template = JsonSerializer.Deserialize<CreateBatchRequest>(schedule.TemplateJson, JsonDefaults.Storage) ?? new CreateBatchRequest();
        var times = FireTimes.For(schedule.Cron, schedule.IntervalSeconds, schedule.TimeZone);
        // A run is named after its schedule and its fire; a long schedule name is shortened so the whole stays a valid batch name.
        var when = $" · {times.ToLocal(fireAt):yyyy-MM-dd HH:mm}";
        var stem = string.IsNullOrWhiteSpace(template.Name) ? schedule.Name : template.Name.Trim();
        if (stem.Length + when.Length > BatchRequestValidator.MaxNameLength)
            stem = stem[..(BatchRequestValidator.MaxNameLength - when.Length - 1)].TrimEnd() + "…";
        var name = stem + when;
        await using var scope = scopes.CreateAsyncScope();
        var batches = scope.ServiceProvider.GetRequiredService<BatchService>();
        var created = await batches.CreateForScheduleAsync(template with { Name = name }, schedule.Id,
            Actor.Scheduler($"schedule: {schedule.Name}"), ct);

        if (created.IsOk) return new ScheduleRun(schedule.Id, fireAt, now, RunOutcome.Started, note, created.Batch!.Id, manual);
        if (created.NothingToDo)
            return new ScheduleRun(schedule.Id, fireAt, now, RunOutcome.Skipped, $"Nothing to do: {created.Errors}", null, manual);
        var reason = created.Conflict ?? created.Errors?.ToString() ?? "The batch could not be created.";
        logger.LogWarning("Schedule {Schedule} could not start a run: {Reason}", schedule.Name, reason);
        return new ScheduleRun(schedule.Id, fireAt, now, RunOutcome.Failed, $"Could not start: {reason}", null, manual);
    }

    private async Task RecordAsync(BatchMonitorDbContext db, ScheduleTurn turn, Schedule schedule, ScheduleRun run, DateTime now,
        CancellationToken ct)
    {
        if (!await FoldIntoLatestAsync(db, schedule, run, ct)) db.ScheduleRuns.Add(run);
        schedule.LastRunAt = now;
        if (run.BatchId is { } batchId) schedule.LastBatchId = batchId;
        await db.SaveChangesAsync(ct);
        await turn.CommitAsync(ct);
        events.Changed(schedule.Id);
    }

    /// <summary>
    /// A clock fire skipped for the same reason as the schedule's latest row, itself a skipped clock fire, updates
    /// that row instead of adding one (see <see cref="SkippedFires"/>); "Run now" always gets its own row.
    /// </summary>
    private static async Task<bool> FoldIntoLatestAsync(BatchMonitorDbContext db, Schedule schedule, ScheduleRun run, CancellationToken ct)
    {
        if (run is not { Outcome: RunOutcome.Skipped, Manual: false, Reason: { } reason }) return false;
        var latest = await db.ScheduleRuns.Where(r => r.ScheduleId == schedule.Id).OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        if (latest is not { Outcome: RunOutcome.Skipped, Manual: false }) return false;
        var times = FireTimes.For(schedule.Cron, schedule.IntervalSeconds, schedule.TimeZone);
        if (SkippedFires.Fold(latest.Reason, times.ToLocal(latest.FireAt), reason) is not { } folded) return false;
        latest.Repeat(run.FireAt, run.At, folded);
        return true;
    }

    private static string Local(FireTimes times, DateTime utc) => times.ToLocal(utc).ToString("yyyy-MM-dd HH:mm");
}
