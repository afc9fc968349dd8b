using BatchMonitor.Core.Access;
using BatchMonitor.Core.Audit;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Retention;

public enum RetentionOutcome
{
    Ok,

    /// <summary>The acting user is no admin (the API's 403); nothing read or changed.</summary>
    Forbidden,

    /// <summary>A setting is out of bounds (the API's 400 with field errors); nothing stored.</summary>
    Invalid,

    /// <summary>Another node's turn is running (the API's 409).</summary>
    Busy,
}

public sealed record RetentionResult(RetentionOutcome Outcome, RetentionView? View = null, PruneReport? Report = null,
    ValidationErrors? Errors = null, string? Message = null)
{
    public static readonly RetentionResult Forbidden = new(RetentionOutcome.Forbidden, Message: Actor.Refusal);
}

/// <summary>
/// Retention for the Retention page and the API, admins only (<see cref="Actor"/>): the settings in force and where
/// they come from, the totals, a change of the settings (stored in the database with its audit entry, in one
/// transaction: it overrides the configuration on every node and survives a restart), and a turn of the pruner now.
/// </summary>
public sealed class RetentionService(
    IDbContextFactory<BatchMonitorDbContext> contexts,
    RetentionPruner pruner,
    RetentionOptions options,
    RetentionEvents events,
    AuditTrail audit,
    TimeProvider time)
{
    public async Task<RetentionResult> GetAsync(Actor actor, CancellationToken ct = default)
    {
        if (!actor.MayChange) return RetentionResult.Forbidden;
        return new RetentionResult(RetentionOutcome.Ok, await ViewAsync(ct));
    }

    /// <summary>The totals alone, for the stats everyone reads.</summary>
    public async Task<RetentionTotals> TotalsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return RetentionTotals.From(await db.RetentionState.AsNoTracking().SingleAsync(s => s.Id == RetentionState.TheId, ct));
    }

    /// <summary>Stores both settings (a null one goes back to the configuration's) or, when one is out of bounds, nothing.</summary>
    public async Task<RetentionResult> UpdateAsync(RetentionInput input, Actor actor, CancellationToken ct = default)
    {
        if (!actor.MayChange) return RetentionResult.Forbidden;
        var errors = RetentionSettings.Validate(input);
        if (!errors.IsValid) return new RetentionResult(RetentionOutcome.Invalid, Errors: errors, Message: "The retention settings were not saved; see errors.");
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var state = await db.RetentionState.SingleAsync(s => s.Id == RetentionState.TheId, ct);
            state.FinishedBatchDays = input.FinishedBatchDays;
            state.ScheduleRunsKept = input.ScheduleRunsKept;
            state.ChangedBy = actor.Name;
            state.ChangedAt = time.GetUtcNow().UtcDateTime;
            audit.Add(db, actor, AuditActions.RetentionChanged, AuditSubjects.Retention, Describe(input));
            await db.SaveChangesAsync(ct);
        }
        events.SettingsChanged();
        return new RetentionResult(RetentionOutcome.Ok, await ViewAsync(ct));
    }

    /// <summary>A turn of the pruner now, on this node; busy when another node's turn is running.</summary>
    public async Task<RetentionResult> RunNowAsync(Actor actor, CancellationToken ct = default)
    {
        if (!actor.MayChange) return RetentionResult.Forbidden;
        await audit.WriteAsync(actor, AuditActions.RetentionRun, AuditSubjects.Retention, ct: ct);
        var report = await pruner.RunAsync(ct);
        return report.Ran
            ? new RetentionResult(RetentionOutcome.Ok, Report: report)
            : new RetentionResult(RetentionOutcome.Busy, Report: report, Message: $"Node {report.BusyOn} is pruning now; try again once it is done.");
    }

    private async Task<RetentionView> ViewAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var state = await db.RetentionState.AsNoTracking().SingleAsync(s => s.Id == RetentionState.TheId, ct);
        var (days, runs) = RetentionPruner.Effective(state, options);
        return new RetentionView(
            new RetentionSetting(days, SourceOf(state.FinishedBatchDays, nameof(RetentionOptions.FinishedBatchDays))),
            new RetentionSetting(runs, SourceOf(state.ScheduleRunsKept, nameof(RetentionOptions.ScheduleRunsKept))),
            state.ChangedBy, state.ChangedAt, RetentionTotals.From(state), state.LastRunAt, state.LastRunNode, state.NextRunAt,
            state.LeaseUntil > time.GetUtcNow().UtcDateTime ? state.LeaseNode : null, options.IntervalMinutes, options.ChunkSize);
    }

    private string SourceOf(int? stored, string key) =>
        stored is not null ? SettingSources.Database
        : options.FromConfiguration.Contains(key) ? SettingSources.Configuration
        : SettingSources.Default;

    private static string Describe(RetentionInput input) =>
        $"finished batches: {(input.FinishedBatchDays is { } d ? d == 0 ? "kept forever" : $"{d} days" : "as configured")}; " +
        $"schedule runs: {(input.ScheduleRunsKept is { } r ? r == 0 ? "every fire kept" : $"{r} per schedule" : "as configured")}";
}
