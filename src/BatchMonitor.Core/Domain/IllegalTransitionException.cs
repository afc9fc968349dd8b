namespace BatchMonitor.Core.Domain;

/// <summary>Thrown when a batch or an item is asked to move between two states that are not connected.</summary>
public sealed class IllegalTransitionException(string subject, string from, string to)
    : InvalidOperationException($"{subject} cannot go from {from} to {to}.")
{
    public string From { get; } = from;

    public string To { get; } = to;
}
