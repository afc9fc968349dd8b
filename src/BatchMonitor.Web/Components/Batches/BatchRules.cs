using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Views;

namespace BatchMonitor.Web.Components.Batches;

/// <summary>Which steering actions a batch's state allows: the buttons ask here, and here asks the domain's <see cref="Lifecycle"/>.</summary>
public static class BatchRules
{
    public static bool CanPause(BatchView b) => b.Status == BatchStatus.Running && Lifecycle.CanMove(b.Status, BatchStatus.Paused);

    public static bool CanResume(BatchView b) => b.Status == BatchStatus.Paused && Lifecycle.CanMove(b.Status, BatchStatus.Running);

    public static bool CanCancel(BatchView b) => Lifecycle.CanMove(b.Status, BatchStatus.Cancelled);

    /// <summary>Failed items go back to pending; a finished batch goes back to queued for them.</summary>
    public static bool CanRetryFailed(BatchView b) =>
        b.Failed > 0 && (!b.Status.IsFinished() || Lifecycle.CanMove(b.Status, BatchStatus.Queued));

    public static bool CanChangePriority(BatchView b) => b.Status is BatchStatus.Queued or BatchStatus.Running or BatchStatus.Paused;

    public static bool CanDelete(BatchView b) => b.Status.IsFinished();
}
