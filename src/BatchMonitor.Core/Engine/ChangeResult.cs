using BatchMonitor.Core.Views;

namespace BatchMonitor.Core.Engine;

public enum ChangeOutcome
{
    Ok,
    NotFound,

    /// <summary>The batch's state does not allow it (the API's 409).</summary>
    Conflict,

    /// <summary>The acting user's role does not allow it (the API's 403); nothing changed.</summary>
    Forbidden,
}

/// <summary>What a steering action did: the batch's new state, or why nothing changed.</summary>
public sealed record ChangeResult(ChangeOutcome Outcome, BatchView? Batch, string? Message)
{
    public static readonly ChangeResult NotFound = new(ChangeOutcome.NotFound, null, "No batch has this id.");

    public static readonly ChangeResult ItemNotFound = new(ChangeOutcome.NotFound, null, "The batch has no item at this index.");

    public bool IsOk => Outcome == ChangeOutcome.Ok;

    public static ChangeResult Ok(BatchView? batch) => new(ChangeOutcome.Ok, batch, null);

    public static ChangeResult Conflict(string message) => new(ChangeOutcome.Conflict, null, message);

    public static readonly ChangeResult Forbidden = new(ChangeOutcome.Forbidden, null, Access.Actor.Refusal);
}
