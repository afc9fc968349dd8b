using BatchMonitor.Core.Validation;
using BatchMonitor.Core.Views;

namespace BatchMonitor.Core.Services;

/// <summary>The new batch, or why none was created (nothing is stored in that case).</summary>
public sealed record CreateResult(BatchView? Batch, ValidationErrors? Errors, string? Conflict)
{
    /// <summary>The source picked no row (e.g. nothing pending): not a mistake in the request, just nothing to do.</summary>
    public bool NothingToDo { get; init; }

    /// <summary>The acting user may not create batches (the API's 403).</summary>
    public bool IsForbidden { get; init; }

    public bool IsOk => Batch is not null;

    public static readonly CreateResult Forbidden = new(null, null, Access.Actor.Refusal) { IsForbidden = true };

    public static CreateResult Created(BatchView batch) => new(batch, null, null);

    public static CreateResult Invalid(ValidationErrors errors) => new(null, errors, null);

    public static CreateResult Refused(string conflict) => new(null, null, conflict);
}
