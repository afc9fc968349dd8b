namespace BatchMonitor.Web.Auth.ApiKeys;

/// <summary>An API key as lists show it: never the key itself.</summary>
public sealed record ApiKeyView(
    Guid Id,
    string Name,
    string Prefix,
    string Role,
    string CreatedBy,
    DateTime CreatedAt,
    DateTime? LastUsedAt,
    DateTime? RevokedAt)
{
    public bool Revoked => RevokedAt is not null;
}

/// <summary>A new key: the only time its clear value is shown.</summary>
public sealed record CreatedApiKey(ApiKeyView Info, string Key);

/// <summary>Who a valid key acts as.</summary>
public sealed record ApiKeyIdentity(Guid KeyId, string KeyName, string UserId, string Role);

/// <summary><c>POST /api/v1/api-keys</c>: a name and, optionally, the role (admin unless said otherwise).</summary>
public sealed record CreateApiKeyRequest(string? Name, string? Role);
