namespace BatchMonitor.Core.Rollups;

/// <summary>
/// The windows the charts show and the steps they can be cut into. A window ends with the step that holds now (so its
/// last point is still filling); steps start on UTC boundaries (an hour's step on the hour, a day's at midnight).
/// </summary>
public sealed record HistoryWindow(string Name, TimeSpan Span, string DefaultStep)
{
    public static readonly HistoryWindow Hour = new("1h", TimeSpan.FromHours(1), "1m");
    public static readonly HistoryWindow Day = new("24h", TimeSpan.FromHours(24), "15m");
    public static readonly HistoryWindow Week = new("7d", TimeSpan.FromDays(7), "2h");

    public static readonly IReadOnlyList<HistoryWindow> All = [Hour, Day, Week];

    /// <summary>The steps by name, shortest first.</summary>
    public static readonly IReadOnlyList<(string Name, TimeSpan Span)> Steps =
    [
        ("1m", TimeSpan.FromMinutes(1)), ("5m", TimeSpan.FromMinutes(5)), ("15m", TimeSpan.FromMinutes(15)),
        ("30m", TimeSpan.FromMinutes(30)), ("1h", TimeSpan.FromHours(1)), ("2h", TimeSpan.FromHours(2)),
        ("6h", TimeSpan.FromHours(6)), ("1d", TimeSpan.FromDays(1)),
    ];

    /// <summary>No more points than a day of minutes in one answer.</summary>
    public const int MaxPoints = 1440;

    public static HistoryWindow? Find(string? name) => All.FirstOrDefault(w => w.Name == name);

    public static TimeSpan? StepOf(string? name) => Steps.FirstOrDefault(s => s.Name == name) is { Name: not null } s ? s.Span : null;

    /// <summary>The steps that cut this window into 1 to <see cref="MaxPoints"/> points.</summary>
    public IEnumerable<string> StepsAllowed =>
        Steps.Where(s => s.Span <= Span && Span / s.Span <= MaxPoints).Select(s => s.Name);

    public bool Allows(string step) => StepsAllowed.Contains(step);
}
