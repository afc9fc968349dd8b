using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace BatchMonitor.Web.Auth.SignIn;

/// <summary>
/// Holds back wrong passwords per email and client address: after <see cref="AuthSettings.MaxFailedSignIns"/> in a
/// row, that address must wait <see cref="AuthSettings.SignInBackoffSeconds"/> before trying that email again, twice
/// as long after each further failure, at most <see cref="AuthSettings.LockoutMinutes"/>. Nobody elsewhere is held
/// back, so a stranger's guesses cannot keep the owner (the admin) out, and an unknown email is held back exactly
/// like a real one, so the answer does not tell which emails exist. A success, a password reset or an hour without
/// failures forgets the count. Kept in memory: a restart forgets it too.
/// </summary>
public sealed class SignInThrottle(TimeProvider time, IOptions<AuthSettings> options)
{
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(1);
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<(string Account, string Address), Entry> _entries = new();

    private sealed record Entry(int Failures, DateTimeOffset LastFailure, DateTimeOffset HeldUntil);

    /// <summary>True while this address must wait before trying this email again; <paramref name="retryAfter"/> says how long.</summary>
    public bool IsHeld(string account, string address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_entries.TryGetValue(Key(account, address), out var entry)) return false;
        retryAfter = entry.HeldUntil - time.GetUtcNow();
        return retryAfter > TimeSpan.Zero;
    }

    public void RecordFailure(string account, string address)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        var free = Math.Max(1, settings.MaxFailedSignIns);
        var first = TimeSpan.FromSeconds(Math.Max(1, settings.SignInBackoffSeconds));
        var longest = TimeSpan.FromMinutes(Math.Max(1, settings.LockoutMinutes));
        _entries.AddOrUpdate(Key(account, address),
            _ => Next(0),
            (_, entry) => Next(now - entry.LastFailure > ForgetAfter ? 0 : entry.Failures));
        if (_entries.Count > MaxEntries) Prune(now);

        Entry Next(int failuresBefore)
        {
            var failures = failuresBefore + 1;
            if (failures < free) return new Entry(failures, now, now);
            var doublings = Math.Min(failures - free, 20);
            var wait = TimeSpan.FromTicks(Math.Min(longest.Ticks, first.Ticks * (1L << doublings)));
            return new Entry(failures, now, now + wait);
        }
    }

    public void RecordSuccess(string account, string address) => _entries.TryRemove(Key(account, address), out _);

    /// <summary>Forgets the failures of an email from every address (its password was just reset).</summary>
    public void Forget(string account)
    {
        var normalized = Normalize(account);
        foreach (var key in _entries.Keys.Where(k => k.Account == normalized)) _entries.TryRemove(key, out _);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (now - entry.LastFailure > ForgetAfter || (_entries.Count > MaxEntries && entry.HeldUntil <= now)) _entries.TryRemove(key, out _);
        }
    }

    private static (string, string) Key(string account, string address) => (Normalize(account), address);

    private static string Normalize(string account) => account.Trim().ToUpperInvariant();
}
