using BatchMonitor.Core.Access;

namespace BatchMonitor.Core.Audit;

/// <summary>What a change of a batch records in the audit, written with the change (<see cref="AuditTrail.Add"/>).</summary>
public sealed record AuditNote(Actor Actor, string Action, string? Detail = null);
