using System.Globalization;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Importing;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Core.Services;
using BatchMonitor.Web.Components.Batches;

namespace BatchMonitor.Web.Components.Schedules.Editor;

public enum TimingMode { Cron, Interval }

public enum ItemsMode { Lines, Dataset }

/// <summary>
/// A schedule as the editor holds it while it is typed: text as typed (an interval that is not a number yet stays
/// text), the batch template's fields (<see cref="BatchForm"/>), and what the form cannot show but must keep (items with
/// groups or payloads, a source's selected keys or page). It becomes the <see cref="ScheduleInput"/> that is saved.
/// </summary>
public sealed class ScheduleDraft
{
    public string? Name { get; set; }
    public bool Enabled { get; set; } = true;
    public TimingMode Mode { get; set; } = TimingMode.Cron;
    public string? Cron { get; set; }
    public string? Interval { get; set; }
    public string TimeZone { get; set; } = "UTC";
    public MisfirePolicy Misfire { get; set; } = MisfirePolicy.Skip;

    public BatchForm Batch { get; private set; } = new();
    public ItemsMode ItemsMode { get; set; } = ItemsMode.Lines;
    public string? ItemsText { get; private set; }
    public ParsedItems Pasted { get; private set; } = ItemSource.None;
    public Guid? DatasetId { get; set; }
    public SourceRows Only { get; set; } = SourceRows.Pending;

    /// <summary>Stored items with groups or payloads, kept while the lines are not changed.</summary>
    public IReadOnlyList<ItemInput>? KeptItems { get; private set; }
    private string? _keptItemsText;

    /// <summary>The stored source (its selected keys, its page), kept with the dataset and rows chosen here.</summary>
    public BatchSource? KeptSource { get; private set; }

    public bool KeepsItems => KeptItems is not null && ItemsText == _keptItemsText;

    public IReadOnlyList<ItemInput> LineItems => KeepsItems ? KeptItems! : Pasted.Items;

    /// <summary>The timing field in use is still empty.</summary>
    public bool TimingBlank => Mode == TimingMode.Cron ? string.IsNullOrWhiteSpace(Cron) : string.IsNullOrWhiteSpace(Interval);

    /// <summary>The interval as a number; null while empty or not a whole number.</summary>
    public int? IntervalSeconds =>
        int.TryParse(Interval, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : null;

    public bool IntervalNotANumber => Mode == TimingMode.Interval && !string.IsNullOrWhiteSpace(Interval) && IntervalSeconds is null;

    public static ScheduleDraft New(IReadOnlyList<IBatchHandler> handlers) => new() { Batch = BatchForm.For(handlers) };

    public static ScheduleDraft From(ScheduleView s, IReadOnlyList<IBatchHandler> handlers)
    {
        var draft = new ScheduleDraft
        {
            Name = s.Name,
            Enabled = s.Enabled,
            Mode = s.Cron is null ? TimingMode.Interval : TimingMode.Cron,
            Cron = s.Cron,
            Interval = s.IntervalSeconds?.ToString(CultureInfo.InvariantCulture),
            TimeZone = s.TimeZone,
            Misfire = s.MisfirePolicy,
            Batch = BatchForm.From(s.Batch, handlers),
        };
        if (s.Batch.Source is { } source)
        {
            draft.ItemsMode = ItemsMode.Dataset;
            draft.KeptSource = source;
            draft.DatasetId = source.DatasetId;
            draft.Only = source.Only ?? SourceRows.All;
        }
        else if (s.Batch.Items is { } items)
        {
            draft.UseLines(string.Join('\n', items.Select(i => i.Key)));
            if (items.Any(i => i.Group is not null || i.Payload is not null))
            {
                draft.KeptItems = items;
                draft._keptItemsText = draft.ItemsText;
            }
        }
        return draft;
    }

    public void UseLines(string? text)
    {
        ItemsText = text;
        Pasted = ItemSource.FromLines(text);
    }

    public ScheduleInput ToInput(IReadOnlyList<IBatchHandler> handlers) => new()
    {
        Name = Name,
        Cron = Mode == TimingMode.Cron ? Cron : null,
        IntervalSeconds = Mode == TimingMode.Interval ? IntervalSeconds : null,
        TimeZone = TimeZone,
        Enabled = Enabled,
        MisfirePolicy = Misfire,
        Batch = Batch.ToRequest(handlers) with
        {
            Items = ItemsMode == ItemsMode.Lines ? LineItems : null,
            Source = ItemsMode == ItemsMode.Dataset ? (KeptSource ?? new BatchSource()) with { DatasetId = DatasetId, Only = Only } : null,
        },
    };
}
