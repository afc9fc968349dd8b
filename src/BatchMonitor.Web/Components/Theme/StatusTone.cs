using BatchMonitor.Core.Domain;
using MudBlazor;

namespace BatchMonitor.Web.Components.Theme;

/// <summary>The colour and icon of every batch and item status, used by every page that shows one.</summary>
public static class StatusTone
{
    public static Color Of(BatchStatus status) => status switch
    {
        BatchStatus.Running => Color.Info,
        BatchStatus.Queued => Color.Secondary,
        BatchStatus.Paused => Color.Warning,
        BatchStatus.Completed => Color.Success,
        BatchStatus.Failed or BatchStatus.TimedOut => Color.Error,
        _ => Color.Default,
    };

    public static Color Of(ItemStatus status) => status switch
    {
        ItemStatus.Running => Color.Info,
        ItemStatus.Pending => Color.Secondary,
        ItemStatus.Succeeded => Color.Success,
        ItemStatus.Failed => Color.Error,
        ItemStatus.Skipped => Color.Warning,
        _ => Color.Default,
    };

    public static string Icon(BatchStatus status) => status switch
    {
        BatchStatus.Running => Icons.Material.Filled.PlayCircle,
        BatchStatus.Queued => Icons.Material.Filled.HourglassTop,
        BatchStatus.Paused => Icons.Material.Filled.PauseCircle,
        BatchStatus.Completed => Icons.Material.Filled.CheckCircle,
        BatchStatus.Failed => Icons.Material.Filled.Cancel,
        BatchStatus.TimedOut => Icons.Material.Filled.Alarm,
        _ => Icons.Material.Filled.Block,
    };

    public static string Icon(ItemStatus status) => status switch
    {
        ItemStatus.Running => Icons.Material.Filled.PlayCircle,
        ItemStatus.Pending => Icons.Material.Filled.HourglassTop,
        ItemStatus.Succeeded => Icons.Material.Filled.CheckCircle,
        ItemStatus.Failed => Icons.Material.Filled.Cancel,
        ItemStatus.Skipped => Icons.Material.Filled.SkipNext,
        _ => Icons.Material.Filled.Block,
    };
}
