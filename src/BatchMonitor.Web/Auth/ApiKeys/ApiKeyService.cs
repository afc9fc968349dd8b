using BatchMonitor.Core.Access;
using BatchMonitor.Core.Audit;
using BatchMonitor.Core.Validation;
using BatchMonitor.Web.Auth.Store;
using Microsoft.EntityFrameworkCore;

namespace BatchMonitor.Web.Auth.ApiKeys;

/// <summary>Creates, lists, revokes and checks API keys. The database holds only their hashes.</summary>
public sealed class ApiKeyService(IDbContextFactory<AuthDbContext> contexts, CheckedApiKeys checkedKeys, TimeProvider time, AuditTrail audit,
    ILogger<ApiKeyService> logger)
{
    /// <summary>Last-used times are written at most this often per key, so a busy script does not write on every call.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public static ValidationErrors Validate(CreateApiKeyRequest request)
    {
        var errors = new ValidationErrors();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add("name", "Give the key a name (what uses it).");
        else if (name.Length > ApiKey.MaxNameLength) errors.Add("name", $"The name must be at most {ApiKey.MaxNameLength} characters.");
        else if (DisplayText.Problem(name, "The name") is { } problem) errors.Add("name", problem);
        if (request.Role is not null && !Roles.IsKnown(request.Role)) errors.Add("role", "role must be admin or viewer.");
        return errors;
    }

    /// <summary>A new key for <paramref name="ownerId"/>; with <paramref name="clearKey"/>, that key (the bootstrap setting) instead of a random one.</summary>
    public async Task<CreatedApiKey> CreateAsync(string name, string role, string ownerId, string ownerEmail, string? clearKey = null,
        CancellationToken ct = default, Actor? by = null)
    {
        var key = clearKey ?? ApiKeyFormat.NewKey();
        var entity = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            Name = name.Trim(),
            Hash = ApiKeyFormat.Hash(key),
            Prefix = ApiKeyFormat.Prefix(key),
            Role = role,
            UserId = ownerId,
            CreatedBy = ownerEmail,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ApiKeys.Add(entity);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("API key {KeyName} created by {Owner} with role {Role}", entity.Name, ownerEmail, role);
        await audit.WriteAsync(by ?? Actor.Admin(ownerEmail), AuditActions.ApiKeyCreated, AuditSubjects.ApiKey(entity.Id), $"'{entity.Name}', role {role}", ct);
        return new CreatedApiKey(ToView(entity), key);
    }

    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var keys = await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).ToListAsync(ct);
        return keys.ConvertAll(ToView);
    }

    /// <summary>Revokes a key at once; null when there is no such key. Revoking twice changes nothing.</summary>
    public async Task<ApiKeyView?> RevokeAsync(Guid id, CancellationToken ct = default, Actor? by = null)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, ct);
        if (key is null) return null;
        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
            logger.LogInformation("API key {KeyName} revoked", key.Name);
            await audit.WriteAsync(by ?? Actor.Admin(null), AuditActions.ApiKeyRevoked, AuditSubjects.ApiKey(id), $"'{key.Name}'", ct);
        }
        return ToView(key);
    }

    /// <summary>
    /// Who the key acts as, or null when it is unknown, revoked, or its owner is disabled. The role is the key's,
    /// but never more than its owner's role now. A key checked before is taken from <see cref="CheckedApiKeys"/> while
    /// the database's <see cref="AuthChanges"/> counter has not moved since, so a change made on any node counts from
    /// the next request.
    /// </summary>
    public async Task<ApiKeyIdentity?> AuthenticateAsync(string key, CancellationToken ct = default)
    {
        if (key.Length is < ApiKeyFormat.MinLength or > ApiKeyFormat.MaxLength) return null;
        var hash = ApiKeyFormat.Hash(key);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var version = await AuthChanges.VersionAsync(db, ct);
        var entry = checkedKeys.Get(hash, version) ?? await CheckAsync(db, hash, version, ct);
        if (entry is null) return null;

        var now = time.GetUtcNow().UtcDateTime;
        if (entry.LastUsedAt is not { } last || now - last >= LastUsedResolution)
        {
            await db.ApiKeys.Where(k => k.Id == entry.Identity.KeyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
            checkedKeys.Set(hash, entry with { LastUsedAt = now });
        }
        return entry.Identity;
    }

    /// <summary>Reads the key, its owner and their roles; a key that may act is kept under <paramref name="version"/>.</summary>
    private async Task<CheckedApiKeys.Entry?> CheckAsync(AuthDbContext db, string hash, long version, CancellationToken ct)
    {
        var found = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Hash == hash && k.RevokedAt == null && !k.User!.Disabled)
            .Select(k => new
            {
                k.Id,
                k.Name,
                k.Role,
                k.UserId,
                k.LastUsedAt,
                OwnerIsAdmin = db.UserRoles.Any(ur => ur.UserId == k.UserId
                                                      && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin)),
            })
            .SingleOrDefaultAsync(ct);
        if (found is null) return null;
        var role = found.Role == Roles.Admin && found.OwnerIsAdmin ? Roles.Admin : Roles.Viewer;
        var entry = new CheckedApiKeys.Entry(new ApiKeyIdentity(found.Id, found.Name, found.UserId, role), version, found.LastUsedAt);
        checkedKeys.Set(hash, entry);
        return entry;
    }

    private static ApiKeyView ToView(ApiKey k) =>
        new(k.Id, k.Name, k.Prefix, k.Role, k.CreatedBy, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}
