namespace BatchMonitor.Web.Auth.Store;

/// <summary>
/// A key a script sends as <c>X-Api-Key</c>. Only its SHA-256 hash is stored (a key is 32 random bytes, so a slow
/// hash adds nothing); the clear key is shown once, when it is created. A key acts with its <see cref="Role"/>, but
/// never with more than its owner has now, and stops working when its owner is disabled.
/// </summary>
public sealed class ApiKey
{
    public const int MaxNameLength = 100;

    public Guid Id { get; set; }

    /// <summary>Recorded as <c>createdBy</c> on the batches the key creates.</summary>
    public required string Name { get; set; }

    /// <summary>Lowercase hex SHA-256 of the key.</summary>
    public required string Hash { get; set; }

    /// <summary>The key's first characters, to tell keys apart in a list.</summary>
    public required string Prefix { get; set; }

    public required string Role { get; set; }

    /// <summary>The user who created the key; it acts as that user.</summary>
    public required string UserId { get; set; }

    /// <summary>The owner's email when the key was created.</summary>
    public required string CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public AppUser? User { get; set; }
}
