using System.Security.Claims;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Core.Validation;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Endpoints.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BatchMonitor.Web.Endpoints;

/// <summary><c>PATCH /api/v1/schedules/{id} {enabled}</c>: switch a schedule on or off without sending all of it.</summary>
public sealed record PatchScheduleRequest(bool? Enabled);

/// <summary>The next fire times of a cron expression or interval, in UTC and in the schedule's time zone.</summary>
public sealed record SchedulePreview(string TimeZone, IReadOnlyList<DateTime> Times, IReadOnlyList<DateTimeOffset> LocalTimes);

/// <summary>
/// <c>/api/v1/schedules</c> (API.md, "Schedules"): recurring batches on a cron expression or an interval. Everyone
/// signed in reads; admins create, change, delete and run now. The scheduler itself lives in Core.
/// </summary>
public static class ScheduleEndpoints
{
    /// <summary>A schedule's batch template is stored whole and read at every fire: long item lists belong in a dataset.</summary>
    public static readonly BodyLimit SaveBodyLimit = new(4L * 1024 * 1024);

    public const int MaxHistoryLimit = 500;
    public const int MaxPreviewCount = 50;

    public static RouteGroupBuilder MapScheduleEndpoints(this RouteGroupBuilder api)
    {
        var schedules = api.MapGroup("/schedules").WithTags("Schedules");

        schedules.MapPost("", CreateAsync).WithName("CreateSchedule").RequireAuthorization(Policies.Admin)
            .WithMetadata(SaveBodyLimit)
            .WithSummary("Create a schedule: a cron expression or an interval, a time zone, and the batch each fire starts")
            .WithDescription("Give exactly one of cron (Quartz format, seconds first, e.g. 0 */10 * * * ?) and intervalSeconds. " +
                             "timeZone is an IANA name (default UTC), misfirePolicy skip (default) or runOnce, and batch a " +
                             "POST /api/v1/batches body (items, or a dataset source whose rows are picked at each fire). " +
                             $"The body is at most {BodyLimit.Describe(SaveBodyLimit.Bytes)}. Nothing is stored when it is refused.")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        schedules.MapGet("", ListAsync).WithName("ListSchedules")
            .WithSummary("Every schedule by name, each with nextRunAt, lastRunAt, lastBatchId and lastBatchStatus");
        schedules.MapGet("/preview", Preview).WithName("PreviewSchedule")
            .WithSummary("The next fire times of a cron expression or interval in a time zone, or what is wrong with them");
        schedules.MapGet("/{id:guid}", GetAsync).WithName("GetSchedule")
            .WithSummary("One schedule");
        schedules.MapGet("/{id:guid}/runs", HistoryAsync).WithName("ListScheduleRuns")
            .WithSummary("A schedule's fires, newest first: due and handled times, outcome and reason, manual or not, and the " +
                         "batch each started with its current state; with the success rate and mean duration of its finished runs");

        var change = schedules.MapGroup("/{id:guid}").RequireAuthorization(Policies.Admin);
        change.MapPut("", UpdateAsync).WithName("ReplaceSchedule").WithMetadata(SaveBodyLimit)
            .WithSummary("Replace a schedule (the same body as POST; left-out fields take their defaults); its next fire is computed afresh")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        change.MapPatch("", PatchAsync).WithName("EnableSchedule")
            .WithSummary("Enable or disable a schedule: {\"enabled\": true|false}");
        change.MapDelete("", DeleteAsync).WithName("DeleteSchedule")
            .WithSummary("Delete a schedule and its history; the batches it started stay");
        change.MapPost("/run", RunNowAsync).WithName("RunScheduleNow")
            .WithSummary("Start a run now (recorded as manual); 409 while the previous run is still queued, running or paused")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return schedules;
    }

    private static async Task<Results<Created<ScheduleView>, ValidationProblem, ProblemHttpResult>> CreateAsync(ScheduleInput input,
        ScheduleService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.CreateAsync(input, user.ToActor(), ct);
        if (result.Outcome == ChangeOutcome.Forbidden) return ApiProblems.Forbidden(result.Message);
        if (result.Errors is { } errors) return ApiProblems.Invalid(errors, "The schedule was not saved; see errors.");
        return TypedResults.Created(Location(result.Schedule!.Id), result.Schedule);
    }

    private static async Task<Ok<IReadOnlyList<ScheduleView>>> ListAsync(ScheduleService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ListAsync(ct));

    private static async Task<Results<Ok<ScheduleView>, ProblemHttpResult>> GetAsync(Guid id, ScheduleService service, CancellationToken ct) =>
        await service.GetAsync(id, ct) is { } schedule ? TypedResults.Ok(schedule) : ApiProblems.NotFound("schedule");

    private static Results<Ok<SchedulePreview>, ValidationProblem> Preview(ScheduleService service, string? cron, int? intervalSeconds,
        string? timeZone, int? count)
    {
        if (count is < 1 or > MaxPreviewCount) return ApiProblems.Invalid("count", $"count must be between 1 and {MaxPreviewCount}.");
        var (times, errors) = service.Preview(cron, intervalSeconds, timeZone, count ?? 5);
        if (!errors.IsValid) return ApiProblems.Invalid(errors);
        var zoneId = string.IsNullOrWhiteSpace(timeZone) ? "UTC" : timeZone.Trim();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var local = times.Select(t => TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)), zone)).ToList();
        return TypedResults.Ok(new SchedulePreview(zoneId, times, local));
    }

    private static async Task<Results<Ok<ScheduleHistory>, ValidationProblem, ProblemHttpResult>> HistoryAsync(Guid id,
        ScheduleService service, int? limit, int? offset, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (limit is < 1 or > MaxHistoryLimit) errors.Add("limit", $"limit must be between 1 and {MaxHistoryLimit}.");
        Paging.CheckOffset(offset, errors);
        if (!errors.IsValid) return ApiProblems.Invalid(errors);
        return await service.HistoryAsync(id, limit ?? 50, offset ?? 0, ct) is { } history
            ? TypedResults.Ok(history)
            : ApiProblems.NotFound("schedule");
    }

    private static async Task<Results<Ok<ScheduleView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(Guid id, ScheduleInput input,
        ScheduleService service, ClaimsPrincipal user, CancellationToken ct) =>
        Answer(await service.UpdateAsync(id, input, user.ToActor(), ct));

    private static async Task<Results<Ok<ScheduleView>, ValidationProblem, ProblemHttpResult>> PatchAsync(Guid id,
        PatchScheduleRequest request, ScheduleService service, ClaimsPrincipal user, CancellationToken ct)
    {
        if (request.Enabled is not { } enabled) return ApiProblems.Invalid("enabled", "Give enabled: true or false.");
        return Answer(await service.SetEnabledAsync(id, enabled, user.ToActor(), ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, ScheduleService service,
        ClaimsPrincipal user, CancellationToken ct) =>
        await service.DeleteAsync(id, user.ToActor(), ct) switch
        {
            { Outcome: ChangeOutcome.NotFound } => ApiProblems.NotFound("schedule"),
            { Outcome: ChangeOutcome.Forbidden } result => ApiProblems.Forbidden(result.Message),
            _ => TypedResults.NoContent(),
        };

    private static async Task<Results<Accepted<ScheduleRunView>, ProblemHttpResult>> RunNowAsync(Guid id, ScheduleService service,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.RunNowAsync(id, user.ToActor(), ct);
        return result.Outcome switch
        {
            ChangeOutcome.Forbidden => ApiProblems.Forbidden(result.Message),
            ChangeOutcome.Ok when result.Run is { BatchId: { } batchId } run => TypedResults.Accepted(BatchEndpoints.Location(batchId), run),
            ChangeOutcome.NotFound => ApiProblems.NotFound("schedule"),
            _ => ApiProblems.Conflict(result.Message),
        };
    }

    private static Results<Ok<ScheduleView>, ValidationProblem, ProblemHttpResult> Answer(ScheduleResult result)
    {
        if (result.Outcome == ChangeOutcome.NotFound) return ApiProblems.NotFound("schedule");
        if (result.Outcome == ChangeOutcome.Forbidden) return ApiProblems.Forbidden(result.Message);
        if (result.Errors is { } errors) return ApiProblems.Invalid(errors, "The schedule was not saved; see errors.");
        return TypedResults.Ok(result.Schedule!);
    }

    public static string Location(Guid id) => $"/api/v1/schedules/{id}";
}
