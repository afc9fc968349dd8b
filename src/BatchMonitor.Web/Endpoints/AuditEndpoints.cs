using BatchMonitor.Core.Audit;
using BatchMonitor.Core.Validation;
using BatchMonitor.Core.Views;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Endpoints.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BatchMonitor.Web.Endpoints;

/// <summary><c>GET /api/v1/audit</c>: who changed what, when and from where; admins only.</summary>
public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.Admin);
        audit.MapGet("", ListAsync).WithName("ListAudit")
            .WithSummary("Audit entries, newest first: {items, total, limit, offset}; each {at, actor, address, action, subject, detail}")
            .WithDescription("subject is kind:id (batch:…, schedule:…, dataset:…, user:email, api_key:…); ?subject=batch lists every " +
                             "batch's entries, ?subject=batch:{id} one batch's. actor is the user's email, action one of " +
                             "batch.created, batch.paused, batch.resumed, batch.cancelled, batch.retried, item.retried, " +
                             "batch.reprioritised, batch.cloned, batch.deleted, schedule.created, schedule.updated, schedule.deleted, " +
                             "schedule.run, dataset.created, dataset.updated, dataset.deleted, user.signed_in, user.sign_in_failed, " +
                             "user.created, user.updated, user.deleted, api_key.created, api_key.revoked, retention.changed, retention.run " +
                             "(subject retention). " +
                             $"limit 1 to {AuditQuery.MaxLimit} (default {AuditQuery.DefaultLimit}).");
        return audit;
    }

    private static async Task<Results<Ok<Page<AuditView>>, ValidationProblem>> ListAsync(AuditTrail trail, string? subject, string? actor,
        string? action, int? limit, int? offset, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (limit is < 1 or > AuditQuery.MaxLimit) errors.Add("limit", $"limit must be between 1 and {AuditQuery.MaxLimit}.");
        Paging.CheckOffset(offset, errors);
        if (subject is { Length: > AuditEntry.MaxSubjectChars }) errors.Add("subject", $"subject must be at most {AuditEntry.MaxSubjectChars} characters.");
        if (actor is { Length: > AuditEntry.MaxActorChars }) errors.Add("actor", $"actor must be at most {AuditEntry.MaxActorChars} characters.");
        if (action is { Length: > AuditEntry.MaxActionChars }) errors.Add("action", $"action must be at most {AuditEntry.MaxActionChars} characters.");
        if (!errors.IsValid) return ApiProblems.Invalid(errors);
        var query = new AuditQuery(subject?.Trim(), actor?.Trim(), action?.Trim(), limit ?? AuditQuery.DefaultLimit, offset ?? 0);
        return TypedResults.Ok(await trail.ListAsync(query, ct));
    }
}
