using System.Text.Json;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Audit;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Json;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Validation;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Scheduling;

/// <summary>
/// Schedules: create, change, enable, delete, run now, preview fire times, read the history. Every command takes
/// the acting user and refuses one who may not change things (<see cref="Actor"/>).
/// </summary>
public sealed class ScheduleService(
    IDbContextFactory<BatchMonitorDbContext> contexts,
    HandlerRegistry handlers,
    ScheduleSignals signals,
    ScheduleEvents events,
    ScheduleFirer firer,
    TimeProvider time,
    AuditTrail audit)
{
    public const int MaxNameLength = 200;

    public async Task<ScheduleResult> CreateAsync(ScheduleInput input, Actor actor, CancellationToken ct = default)
    {
        if (!actor.MayChange) return ScheduleResult.Forbidden;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var errors = await ValidateAsync(db, input, ct);
        if (!errors.IsValid) return ScheduleResult.Invalid(errors);
        var now = time.GetUtcNow().UtcDateTime;
        var schedule = new Schedule(Guid.CreateVersion7(), "", now, actor.Name);
        Apply(schedule, input, now);
        db.Schedules.Add(schedule);
        audit.Add(db, actor, AuditActions.ScheduleCreated, AuditSubjects.Schedule(schedule.Id), $"'{schedule.Name}'");
        await db.SaveChangesAsync(ct);
        signals.Wake();
        events.Changed(schedule.Id);
        return ScheduleResult.Ok(await ViewAsync(db, schedule.Id, ct));
    }

    /// <summary>Replaces a schedule's definition (PUT); the next fire is computed afresh from now.</summary>
    public async Task<ScheduleResult> UpdateAsync(Guid id, ScheduleInput input, Actor actor, CancellationToken ct = default)
    {
        if (!actor.MayChange) return ScheduleResult.Forbidden;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var schedule = await db.Schedules.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (schedule is null) return ScheduleResult.NotFound;
        var errors = await ValidateAsync(db, input, ct);
        if (!errors.IsValid) return ScheduleResult.Invalid(errors);
        Apply(schedule, input, time.GetUtcNow().UtcDateTime);
        audit.Add(db, actor, AuditActions.ScheduleUpdated, AuditSubjects.Schedule(id), $"'{schedule.Name}'");
        await db.SaveChangesAsync(ct);
        signals.Wake();
        events.Changed(id);
        return ScheduleResult.Ok(await ViewAsync(db, id, ct));
    }

    public async Task<ScheduleResult> SetEnabledAsync(Guid id, bool enabled, Actor actor, CancellationToken ct = default)
    {
        if (!actor.MayChange) return ScheduleResult.Forbidden;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var schedule = await db.Schedules.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (schedule is null) return ScheduleResult.NotFound;
        var now = time.GetUtcNow().UtcDateTime;
        schedule.Enabled = enabled;
        schedule.NextRunAt = enabled ? FireTimes.For(schedule.Cron, schedule.IntervalSeconds, schedule.TimeZone).NextAfter(now) : null;
        schedule.UpdatedAt = now;
        audit.Add(db, actor, AuditActions.ScheduleUpdated, AuditSubjects.Schedule(id), enabled ? "enabled" : "disabled");
        await db.SaveChangesAsync(ct);
        signals.Wake();
        events.Changed(id);
        return ScheduleResult.Ok(await ViewAsync(db, id, ct));
    }

    /// <summary>Deletes a schedule and its history; the batches it started stay.</summary>
    public async Task<ScheduleResult> DeleteAsync(Guid id, Actor actor, CancellationToken ct = default)
    {
        if (!actor.MayChange) return ScheduleResult.Forbidden;
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var name = await db.Schedules.Where(s => s.Id == id).Select(s => s.Name).SingleOrDefaultAsync(ct);
        var deleted = await db.Schedules.Where(s => s.Id == id).ExecuteDeleteAsync(ct);
        if (deleted == 0) return ScheduleResult.NotFound;
        audit.Add(db, actor, AuditActions.ScheduleDeleted, AuditSubjects.Schedule(id), $"'{name}'");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        signals.Wake();
        events.Changed(id);
        return ScheduleResult.Ok(null);
    }

    public async Task<IReadOnlyList<ScheduleView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var schedules = await db.Schedules.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
        var lastIds = schedules.Where(s => s.LastBatchId != null).Select(s => s.LastBatchId!.Value).ToList();
        var statuses = await db.Batches.Where(b => lastIds.Contains(b.Id)).Select(b => new { b.Id, b.Status }).ToListAsync(ct);
        return schedules.ConvertAll(s => View(s, statuses.FirstOrDefault(b => b.Id == s.LastBatchId)?.Status));
    }

    public async Task<ScheduleView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await ViewAsync(db, id, ct);
    }

    /// <summary>The next enabled fires across schedules, soonest first (the dashboard's "next runs").</summary>
    public async Task<IReadOnlyList<ScheduleView>> UpcomingAsync(int limit = 5, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var schedules = await db.Schedules.AsNoTracking().Where(s => s.Enabled && s.NextRunAt != null)
            .OrderBy(s => s.NextRunAt).Take(limit).ToListAsync(ct);
        return schedules.ConvertAll(s => View(s, null));
    }

    /// <summary>A page of the schedule's fires, newest first, each with its batch's live state; null if unknown.</summary>
    public async Task<ScheduleHistory?> HistoryAsync(Guid id, int limit = 50, int offset = 0, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Schedules.AnyAsync(s => s.Id == id, ct)) return null;
        var runs = db.ScheduleRuns.AsNoTracking().Where(r => r.ScheduleId == id);
        var counts = await runs.GroupBy(r => r.Outcome).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var page = await runs.OrderByDescending(r => r.Id).Skip(offset).Take(limit).ToListAsync(ct);
        var batchIds = page.Where(r => r.BatchId != null).Select(r => r.BatchId!.Value).ToList();
        var batches = (await db.Batches.AsNoTracking().Where(b => batchIds.Contains(b.Id)).ToListAsync(ct))
            .ToDictionary(b => b.Id, BatchView.From);

        var finished = await db.Batches.AsNoTracking()
            .Where(b => b.ScheduleId == id && b.FinishedAt != null && b.StartedAt != null)
            .Select(b => new { b.Status, b.Failed, b.StartedAt, b.FinishedAt }).ToListAsync(ct);
        double? successRate = finished.Count == 0 ? null
            : Math.Round((double)finished.Count(b => b.Status == BatchStatus.Completed && b.Failed == 0) / finished.Count, 3);
        double? meanSeconds = finished.Count == 0 ? null
            : Math.Round(finished.Average(b => (b.FinishedAt!.Value - b.StartedAt!.Value).TotalSeconds), 1);

        int Count(RunOutcome o) => counts.FirstOrDefault(c => c.Key == o)?.Count ?? 0;
        return new ScheduleHistory(
            page.ConvertAll(r => new ScheduleRunView(r.Id, r.FireAt, r.At, r.Outcome, r.Reason, r.BatchId, r.Manual)
            {
                Batch = r.BatchId is { } b && batches.TryGetValue(b, out var view) ? view : null,
            }),
            counts.Sum(c => c.Count), limit, offset, Count(RunOutcome.Started), Count(RunOutcome.Skipped), Count(RunOutcome.Failed),
            successRate, meanSeconds);
    }

    /// <summary>Starts a run at once (the history records it as manual); 409 while the previous run is active.</summary>
    public Task<RunNowResult> RunNowAsync(Guid id, Actor actor, CancellationToken ct = default) =>
        actor.MayChange
            ? firer.RunNowAsync(id, ct, db => audit.Add(db, actor, AuditActions.ScheduleRun, AuditSubjects.Schedule(id), "run now"))
            : Task.FromResult(RunNowResult.Forbidden);

    /// <summary>The next fire times for a cron expression or interval, or what is wrong with it (as you type).</summary>
    public (IReadOnlyList<DateTime> Times, ValidationErrors Errors) Preview(string? cron, int? intervalSeconds, string? timeZone, int count = 5)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var errors = FireTimes.TryCreate(cron, intervalSeconds, timeZone, now, out var times);
        return (times?.Next(now, count) ?? [], errors);
    }

    /// <summary>
    /// What is wrong with a schedule as typed, reading nothing (a form checks it on every keystroke): the timing, the
    /// name and the batch each run starts. A dataset source is looked up only when the schedule is saved.
    /// </summary>
    public ValidationErrors Check(ScheduleInput input)
    {
        var errors = FireTimes.TryCreate(input.Cron, input.IntervalSeconds, input.TimeZone, time.GetUtcNow().UtcDateTime, out _);
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add("name", "Give the schedule a name.");
        else if (name.Length > MaxNameLength) errors.Add("name", $"The name must be at most {MaxNameLength} characters.");
        else if (DisplayText.Problem(name, "The name") is { } unsafeName) errors.Add("name", unsafeName);

        if (input.Batch is not { } batch)
        {
            errors.Add("batch", "Describe the batch each run starts (handler, args, options, and items or a dataset source).");
            return errors;
        }
        var batchErrors = new ValidationErrors();
        if (batch.Source is not null)
        {
            if (batch.Items is not null) batchErrors.Add("source", "Give either items or a source, not both.");
            // The rows are picked at each fire; now only the source itself must make sense.
            BatchRequestValidator.Validate(batch with { Source = null, Items = [new ItemInput("x")] }, handlers, out _).AddTo(batchErrors);
        }
        else
        {
            BatchRequestValidator.Validate(batch, handlers, out _).AddTo(batchErrors);
        }
        errors.AddRange("batch", batchErrors);
        return errors;
    }

    private async Task<ValidationErrors> ValidateAsync(BatchMonitorDbContext db, ScheduleInput input, CancellationToken ct)
    {
        var errors = Check(input);
        if (input.Batch?.Source is { } source)
        {
            var sourceErrors = new ValidationErrors();
            await DatasetSelection.ResolveAsync(db, source, sourceErrors, time.GetUtcNow().UtcDateTime, ct);
            errors.AddRange("batch", sourceErrors);
        }
        return errors;
    }

    private static void Apply(Schedule schedule, ScheduleInput input, DateTime now)
    {
        schedule.Name = input.Name!.Trim();
        schedule.Cron = string.IsNullOrWhiteSpace(input.Cron) ? null : input.Cron.Trim();
        schedule.IntervalSeconds = schedule.Cron is null ? input.IntervalSeconds : null;
        schedule.TimeZone = string.IsNullOrWhiteSpace(input.TimeZone) ? "UTC" : input.TimeZone.Trim();
        schedule.Enabled = input.Enabled ?? true;
        schedule.MisfirePolicy = input.MisfirePolicy ?? MisfirePolicy.Skip;
        schedule.TemplateJson = JsonSerializer.Serialize(input.Batch, JsonDefaults.Storage);
        schedule.NextRunAt = schedule.Enabled ? FireTimes.For(schedule.Cron, schedule.IntervalSeconds, schedule.TimeZone).NextAfter(now) : null;
        schedule.UpdatedAt = now;
    }

    private static async Task<ScheduleView?> ViewAsync(BatchMonitorDbContext db, Guid id, CancellationToken ct)
    {
        var schedule = await db.Schedules.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (schedule is null) return null;
        var status = schedule.LastBatchId is { } last
            ? await db.Batches.Where(b => b.Id == last).Select(b => (BatchStatus?)b.Status).FirstOrDefaultAsync(ct)
            : null;
        return View(schedule, status);
    }

    private static ScheduleView View(Schedule s, BatchStatus? lastStatus) => new()
    {
        Id = s.Id,
        Name = s.Name,
        Cron = s.Cron,
        IntervalSeconds = s.IntervalSeconds,
        TimeZone = s.TimeZone,
        Enabled = s.Enabled,
        MisfirePolicy = s.MisfirePolicy,
        Batch = JsonSerializer.Deserialize<CreateBatchRequest>(s.TemplateJson, JsonDefaults.Storage) ?? new CreateBatchRequest(),
        NextRunAt = s.NextRunAt,
        LastRunAt = s.LastRunAt,
        LastBatchId = s.LastBatchId,
        LastBatchStatus = lastStatus,
        CreatedAt = s.CreatedAt,
        UpdatedAt = s.UpdatedAt,
        CreatedBy = s.CreatedBy,
    };
}
