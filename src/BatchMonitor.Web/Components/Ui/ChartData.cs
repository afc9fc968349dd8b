namespace BatchMonitor.Web.Components.Ui;

/// <summary>
/// What a <see cref="Chart"/> draws: one label per position (empty where no tick is wanted) and series of values over
/// them, stacked bars or lines (<see cref="Lines"/>). A new instance is a new drawing; the same instance is not drawn again.
/// </summary>
public sealed record ChartData(IReadOnlyList<string> Labels, IReadOnlyList<ChartValues> Series, bool Lines = false);

/// <summary>
/// One series; <paramref name="Color"/> is a colour that reads on both themes' surfaces. A null value is a gap in a
/// line (nothing to show there) and nothing in a bar.
/// </summary>
public sealed record ChartValues(string Label, string Color, IReadOnlyList<double?> Values);
