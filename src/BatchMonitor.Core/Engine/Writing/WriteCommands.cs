using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Storage.Ledger;

namespace BatchMonitor.Core.Engine.Writing;

/// <summary>A change the writer applies in its next transaction.</summary>
internal abstract record WriteCommand;

/// <summary>
/// Claim up to <paramref name="Max"/> due items of a running batch, leaving at most <paramref name="RunningLimit"/> of
/// its items running on all nodes; a <paramref name="Paced"/> batch is claimed only by the node that holds its pace.
/// </summary>
internal sealed record ClaimCommand(Guid BatchId, int Max, int? RunningLimit, bool Paced, long AskedAt) : WriteCommand
{
    public TaskCompletionSource<ClaimResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What the writer needs to know about the batch an outcome belongs to.</summary>
/// <param name="Handler">Counted per handler in the throughput minutes.</param>
/// <param name="DatasetId">The dataset whose rows get the item's final outcome, if any.</param>
/// <param name="PublishEach">Write each row's outcome with its item (publishResults = each).</param>
internal sealed record ItemOwner(string Handler, Guid? DatasetId, bool PublishEach);

/// <summary>An item left running: its domain object already holds the new state.</summary>
internal sealed record OutcomeCommand(BatchItem Item, ItemOwner Owner) : WriteCommand
{
    public ItemStatus To { get; } = Item.Status;

    /// <summary>Handed back by a stopping engine (running → pending with no retry due), not an outcome of its handler.</summary>
    public bool Released { get; } = Item is { Status: ItemStatus.Pending, NextAttemptAt: null };
}

/// <summary>A running item's progress or step changed.</summary>
internal sealed record ProgressCommand(BatchItem Item) : WriteCommand;

internal sealed record LogCommand(Guid BatchId, DateTime At, string Level, string? ItemKey, string Message) : WriteCommand;

/// <summary>The rest of a group is skipped (failGroupAfter).</summary>
internal sealed record SkipGroupCommand(Guid BatchId, string Handler, string Group, string Reason) : WriteCommand;

/// <summary>Completes once everything enqueued before it is committed and announced.</summary>
internal sealed record FlushCommand : WriteCommand
{
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
