namespace BatchMonitor.Core.Access;

/// <summary>
/// Who asks for a change. Every command of the batch, dataset and schedule services takes the acting user and
/// refuses it unless that user may change things, so a page, an endpoint or a future caller cannot forget the rule:
/// hiding a button is never what keeps a viewer out.
/// </summary>
/// <param name="Name">Recorded as <c>createdBy</c> of what the actor creates.</param>
/// <param name="MayChange">Admins (and the scheduler firing a schedule) may change things; viewers only look.</param>
public sealed record Actor(string? Name, bool MayChange)
{
    /// <summary>What a refused command answers.</summary>
    /// <summary>The client's address (the HTTP request's, after trusted proxies), recorded in the audit; null when not over HTTP.</summary>
    public string? Address { get; init; }

    public const string Refusal = "Only an admin can change this; a viewer can look at everything but change nothing.";

    public static Actor Admin(string? name) => new(name, true);

    public static Actor Viewer(string? name) => new(name, false);

    /// <summary>The scheduler starting a schedule's run on its clock, on behalf of whoever created the schedule.</summary>
    public static Actor Scheduler(string? onBehalfOf) => new(onBehalfOf, true);
}
