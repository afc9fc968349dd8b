using BatchMonitor.Core.Access;
using BatchMonitor.Core.Storage;
using BatchMonitor.Core.Views;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Core.Audit;

/// <summary>
/// The one writer of the audit. A change made in this store adds its entry to the change's own context
/// (<see cref="Add"/>) before it saves, so the entry commits with the change or not at all; a change made elsewhere
/// (sign-in, users, API keys: the auth store) writes its entry once it succeeded (<see cref="WriteAsync"/>).
/// </summary>
public sealed class AuditTrail(IDbContextFactory<BatchMonitorDbContext> contexts, TimeProvider time)
{
    /// <summary>Adds the entry to <paramref name="db"/>; it is written by the caller's next save, in its transaction.</summary>
    public void Add(BatchMonitorDbContext db, Actor actor, string action, string subject, string? detail = null) =>
        db.AuditEntries.Add(new AuditEntry(time.GetUtcNow().UtcDateTime, actor.Name, actor.Address, action, subject, detail));

    /// <summary>Writes the entry at once, for a change that is not a write to this store.</summary>
    public async Task WriteAsync(Actor actor, string action, string subject, string? detail = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        Add(db, actor, action, subject, detail);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Entries newest first, filtered by subject (or kind), actor and action.</summary>
    public async Task<Page<AuditView>> ListAsync(AuditQuery query, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrEmpty(query.Subject))
        {
            var kind = query.Subject + ":";
            entries = entries.Where(e => e.Subject == query.Subject || e.Subject.StartsWith(kind));
        }
        if (!string.IsNullOrEmpty(query.Actor)) entries = entries.Where(e => e.Actor == query.Actor);
        if (!string.IsNullOrEmpty(query.Action)) entries = entries.Where(e => e.Action == query.Action);
        var total = await entries.CountAsync(ct);
        var page = await entries.OrderByDescending(e => e.Id).Skip(query.Offset).Take(query.Limit).ToListAsync(ct);
        return new Page<AuditView>(page.ConvertAll(AuditView.From), total, query.Limit, query.Offset);
    }
}
