namespace BatchMonitor.Web.Components.Ui;

/// <summary>What a <see cref="Chart"/> draws: x values (Unix seconds) and one or more series of bars over them.</summary>
public sealed record ChartData(IReadOnlyList<long> X, IReadOnlyList<ChartSeries> Series);

/// <summary>One series; <paramref name="Color"/> is a CSS custom property (<c>--bm-good</c>) so it follows the theme.</summary>
public sealed record ChartSeries(string Label, string Color, IReadOnlyList<double> Values);
