namespace BatchMonitor.Web.Components.Ui;

/// <summary>
/// What a <see cref="Chart"/> draws: one label per bar position (empty where no tick is wanted) and series of values
/// stacked over them. A new instance is a new drawing; the same instance is not drawn again.
/// </summary>
public sealed record ChartData(IReadOnlyList<string> Labels, IReadOnlyList<ChartValues> Series);

/// <summary>One series; <paramref name="Color"/> is a colour that reads on both themes' surfaces.</summary>
public sealed record ChartValues(string Label, string Color, IReadOnlyList<double> Values);
