using System.Globalization;
using System.Text.RegularExpressions;

namespace BatchMonitor.Core.Scheduling;

/// <summary>
/// Consecutive clock fires skipped for the same reason share one history row, so a run that outlasts many fires
/// (a cron every second behind a run of an hour) adds one row, not 3,600. The row shows the latest fire; its
/// reason keeps the count and the first fire: "Previous run still active ('x' is running). Skipped 3,600 fires
/// in a row since 2026-03-02 09:00:01." (The count lives in the text: the history table has no column for it.)
/// </summary>
internal static partial class SkippedFires
{
    /// <summary>The size of the history's reason column: a fold that would not fit starts a row of its own.</summary>
    private const int MaxReasonLength = 2000;

    /// <summary>Why a fire was skipped behind a run that is still queued, running or paused.</summary>
    public static string StillActive(string runName, string status) => $"Previous run still active ('{runName}' is {status}).";

    /// <summary>
    /// The reason of the row that folds <paramref name="reason"/> into the latest row, or null when that row was
    /// skipped for something else (then the fire gets a row of its own). Skips behind the same run fold whatever
    /// its status (queued, then running, then paused); the row shows the latest.
    /// </summary>
    /// <param name="latestReason">The reason of the schedule's latest row, a skipped clock fire.</param>
    /// <param name="latestFireLocal">When that row's fire was due, in the schedule's time zone.</param>
    public static string? Fold(string? latestReason, DateTime latestFireLocal, string reason)
    {
        if (latestReason is null) return null;
        long count;
        string since;
        if (Key(latestReason) == Key(reason))
        {
            count = 1;
            since = latestFireLocal.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        }
        else if (Folded().Match(latestReason) is { Success: true } m && Key(m.Groups["reason"].Value) == Key(reason)
                 && long.TryParse(m.Groups["count"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out count))
        {
            since = m.Groups["since"].Value;
        }
        else
        {
            return null;
        }
        var folded = string.Create(CultureInfo.InvariantCulture, $"{reason} Skipped {count + 1:N0} fires in a row since {since}.");
        return folded.Length <= MaxReasonLength ? folded : null;
    }

    private static string Key(string reason) => StillActivePattern().Match(reason) is { Success: true } m ? "behind " + m.Groups["run"].Value : reason;

    [GeneratedRegex(@"^Previous run still active \('(?<run>.*)' is [a-z_]+\)\.$", RegexOptions.Singleline)]
    private static partial Regex StillActivePattern();

    [GeneratedRegex(@"^(?<reason>.*) Skipped (?<count>[0-9,]+) fires in a row since (?<since>[0-9: -]+)\.$", RegexOptions.Singleline)]
    private static partial Regex Folded();
}
