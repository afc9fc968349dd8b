using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Views;
using BatchMonitor.Web.Components.Batches;

namespace BatchMonitor.Web.Components.Datasets;

/// <summary>Which rows the Process dialog starts a batch over, and how the dialog says so.</summary>
public sealed record ProcessRequest(string Title, string Description, BatchSource Source);

/// <summary>
/// The Process dialog's form, kept by the dataset page between openings: it starts from the last batch over the dataset
/// unless this visit already typed one; the first run ever runs one at a time over the dataset (an exclusive key).
/// </summary>
public sealed class ProcessDraft
{
    public BatchForm Form { get; private set; } = new();

    /// <summary>The batch the options were taken from (shown as "Options as in the last run").</summary>
    public BatchView? PrefilledFrom { get; private set; }

    public void Prepare(BatchView? last, IReadOnlyList<IBatchHandler> handlers, Guid datasetId)
    {
        if (last is not null && last.Id != PrefilledFrom?.Id)
        {
            Form = BatchForm.From(last, handlers);
            PrefilledFrom = last;
        }
        else if (last is null && PrefilledFrom is null && string.IsNullOrEmpty(Form.Handler))
        {
            Form = BatchForm.For(handlers);
            Form.Options.ExclusiveKey = $"dataset-{datasetId}";
        }
        Form.Name = null;
    }

    /// <summary>The batch just started over the dataset: the next opening starts from it.</summary>
    public void Started(BatchView batch) => PrefilledFrom = batch;
}
