namespace BatchMonitor.Core.Attempts;

/// <summary>An attempt as the API and the pages show it: <c>{attempt, node, startedAt, finishedAt, durationMs, outcome, error, detail}</c>.</summary>
public sealed record AttemptView(int Attempt, string? Node, DateTime? StartedAt, DateTime FinishedAt, long? DurationMs, string Outcome,
    string? Error, string? Detail)
{
    public static AttemptView From(ItemAttempt a) => new(a.Attempt, a.Node, a.StartedAt, a.FinishedAt, a.DurationMs, a.Outcome, a.Error, a.Detail);
}
