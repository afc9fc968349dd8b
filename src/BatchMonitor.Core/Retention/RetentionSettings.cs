using BatchMonitor.Core.Validation;

namespace BatchMonitor.Core.Retention;

/// <summary><c>PUT /api/v1/retention</c> and the Retention page's form; a value left out (null) goes back to the configuration's.</summary>
public sealed record RetentionInput(int? FinishedBatchDays, int? ScheduleRunsKept);

/// <summary>What retention settings may say, for the API, the page and the configuration alike.</summary>
public static class RetentionSettings
{
    public const string DaysField = "finishedBatchDays";
    public const string RunsField = "scheduleRunsKept";

    public static string? CheckDays(int? days) => days switch
    {
        < 0 => "Give 0 (keep finished batches forever) or a number of days.",
        > RetentionOptions.MaxFinishedBatchDays => $"Keep finished batches at most {RetentionOptions.MaxFinishedBatchDays:N0} days (a century), or 0 for forever.",
        _ => null,
    };

    public static string? CheckRunsKept(int? runs) => runs switch
    {
        < 0 => "Give 0 (keep every fire) or how many of the newest fires each schedule keeps.",
        > RetentionOptions.MaxScheduleRunsKept => $"Keep at most {RetentionOptions.MaxScheduleRunsKept:N0} fires per schedule, or 0 for every fire.",
        _ => null,
    };

    public static ValidationErrors Validate(RetentionInput input)
    {
        var errors = new ValidationErrors();
        if (CheckDays(input.FinishedBatchDays) is { } days) errors.Add(DaysField, days);
        if (CheckRunsKept(input.ScheduleRunsKept) is { } runs) errors.Add(RunsField, runs);
        return errors;
    }
}
