using System.Collections.Concurrent;
using BatchMonitor.Web.Auth.Store;

namespace BatchMonitor.Web.Auth.ApiKeys;

/// <summary>
/// The keys this node has checked, by hash, each with the <see cref="AuthChanges"/> counter read before it was checked:
/// it holds while the counter has not moved since. Unknown and refused keys are never kept, so every wrong key is
/// looked up (and counted by the failure limiter).
/// </summary>
public sealed class CheckedApiKeys
{
    /// <summary>Beyond this many keys the whole set is dropped and filled again by the next requests.</summary>
    public const int MaxKeys = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _keys = new(StringComparer.Ordinal);

    /// <param name="Identity">Who the key acts as.</param>
    /// <param name="Version">The counter read before the key was checked.</param>
    /// <param name="LastUsedAt">The key's last-used time as last written.</param>
    public sealed record Entry(ApiKeyIdentity Identity, long Version, DateTime? LastUsedAt);

    /// <summary>The key checked under <paramref name="version"/>, or null when it was not or the counter has moved since.</summary>
    public Entry? Get(string hash, long version) =>
        _keys.TryGetValue(hash, out var entry) && entry.Version == version ? entry : null;

    public void Set(string hash, Entry entry)
    {
        if (_keys.Count >= MaxKeys) _keys.Clear();
        _keys[hash] = entry;
    }
}
