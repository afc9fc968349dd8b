using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Core.Validation;

namespace BatchMonitor.Web.Components.Schedules.Editor;

/// <summary>
/// Which messages the editor shows, re-checked on every change (the service's own checks, reading nothing): a field's
/// messages appear once it has been changed (or the form was sent) and clear as soon as what is typed is right. What
/// only saving can tell (a dataset's rows, a selection of them) stays from the last save until its field changes. Every message is in the
/// words of the form's labels (<see cref="FieldWords"/>).
/// </summary>
public sealed class DraftValidation
{
    /// <summary>The field keys (or prefixes: <c>batch.options</c>) the user has changed.</summary>
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private ValidationErrors _saved = new();

    /// <summary>The form was sent once: every field's messages show from then on.</summary>
    public bool Submitted { get; private set; }

    public ValidationErrors Shown { get; private set; } = new();

    /// <summary>Shown, for the batch's own fields: keys without their <c>batch.</c> prefix, as the shared batch fields name them.</summary>
    public ValidationErrors BatchShown { get; private set; } = new();

    public bool IsValid => Shown.IsValid;

    /// <summary>The user changed <paramref name="field"/> (or any field under it): its messages show, its message from the last save goes.</summary>
    public void Touched(string field)
    {
        _touched.Add(field);
        _saved = Filter(_saved, key => !Under(key, field));
    }

    /// <summary>What the service said when the form was sent.</summary>
    public void Sent(ValidationErrors? refused)
    {
        Submitted = true;
        _saved = refused ?? new ValidationErrors();
    }

    /// <summary>Checks the draft again and decides what shows.</summary>
    public void Update(ScheduleService schedules, ScheduleDraft draft, IReadOnlyList<IBatchHandler> handlers, IReadOnlyCollection<Guid> datasets)
    {
        var live = Check(schedules, draft, handlers, datasets);
        var shown = new ValidationErrors();
        foreach (var (field, messages) in live.ToDictionary())
        {
            if (!Submitted && !_touched.Any(t => Under(field, t))) continue;
            foreach (var message in messages) shown.Add(field, FieldWords.For(field, message));
        }
        foreach (var (field, messages) in _saved.ToDictionary())
        {
            // Only what the live checks cannot know (a dataset's rows): everything else they say afresh, or not at all.
            if (live.Has(field) || !OnlySavingTells(field)) continue;
            foreach (var message in messages) shown.Add(field, FieldWords.For(field, message));
        }
        Shown = shown;
        BatchShown = Filter(shown, key => key.StartsWith("batch.", StringComparison.Ordinal), strip: "batch.");
    }

    /// <summary>The service's checks of the draft as it would be saved, with what the form knows better about its own fields.</summary>
    public static ValidationErrors Check(ScheduleService schedules, ScheduleDraft draft, IReadOnlyList<IBatchHandler> handlers,
        IReadOnlyCollection<Guid> datasets)
    {
        var checks = schedules.Check(draft.ToInput(handlers));
        // The service, given no timing, asks for "either a cron expression or an interval": the form shows one of the two.
        var timing = draft.Mode == TimingMode.Cron ? "cron" : "intervalSeconds";
        var errors = Filter(checks, key => draft.TimingBlank || draft.IntervalNotANumber ? key is not ("cron" or "intervalSeconds") : true);
        if (draft.IntervalNotANumber) errors.Add(timing, "Give a whole number of seconds.");
        else if (draft.TimingBlank)
            errors.Add(timing, draft.Mode == TimingMode.Cron
                ? "Give a cron expression, or pick one of the common ones below."
                : "Give the number of seconds between runs.");
        if (draft.ItemsMode == ItemsMode.Dataset)
        {
            if (draft.DatasetId is not { } id) errors.Add("batch.source.datasetId", FieldWords.DatasetMissing);
            else if (!datasets.Contains(id)) errors.Add("batch.source.datasetId", FieldWords.DatasetGone);
        }
        return errors;
    }

    private static bool OnlySavingTells(string field) => field == "batch" || Under(field, "batch.source");

    private static bool Under(string key, string field) =>
        key == field || key.StartsWith(field + ".", StringComparison.Ordinal) || key.StartsWith(field + "[", StringComparison.Ordinal);

    private static ValidationErrors Filter(ValidationErrors errors, Func<string, bool> keep, string strip = "")
    {
        var kept = new ValidationErrors();
        foreach (var (field, messages) in errors.ToDictionary())
        {
            if (!keep(field)) continue;
            foreach (var message in messages) kept.Add(field[strip.Length..], message);
        }
        return kept;
    }
}
