using System.Collections.Concurrent;

namespace BatchMonitor.Core.Engine;

/// <summary>
/// When a batch's runner stops on an unexpected error, the batch (still running in the store) gets a new runner only
/// after a pause: <see cref="First"/> after the first crash, doubling with each crash in a row up to
/// <see cref="Longest"/>. An error that repeats then costs one log line per pause, not a core and a stream of stack
/// traces. A runner that ends normally clears its batch's count.
/// </summary>
internal sealed class RestartBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<Guid, (int Crashes, DateTime NotBefore)> _crashed = new();

    /// <summary>The pause after this many crashes in a row.</summary>
    public static TimeSpan PauseAfter(int crashes)
    {
        var ms = First.TotalMilliseconds * Math.Pow(2, Math.Clamp(crashes - 1, 0, 30));
        return ms >= Longest.TotalMilliseconds ? Longest : TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>Counts a crash of the batch's runner; returns how many in a row and when it may start again.</summary>
    public (int Crashes, DateTime NotBefore) Crashed(Guid batchId, DateTime now) =>
        _crashed.AddOrUpdate(batchId, _ => (1, now + PauseAfter(1)), (_, last) => (last.Crashes + 1, now + PauseAfter(last.Crashes + 1)));

    /// <summary>The batch's runner ended normally: the next crash, if any, counts from one.</summary>
    public void Clear(Guid batchId) => _crashed.TryRemove(batchId, out _);

    public bool MayStart(Guid batchId, DateTime now) => !_crashed.TryGetValue(batchId, out var c) || c.NotBefore <= now;

    /// <summary>Forgets batches no longer running (cancelled or finished meanwhile).</summary>
    public void KeepOnly(IReadOnlyCollection<Guid> running)
    {
        foreach (var id in _crashed.Keys)
        {
            if (!running.Contains(id)) _crashed.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// The soonest time after <paramref name="now"/> a crashed batch may start again, if one waits. (A batch whose pause
    /// is over is started by the tick that sees it; its count stays until its new runner ends.)
    /// </summary>
    public DateTime? NextStart(DateTime now) =>
        _crashed.Values.Where(c => c.NotBefore > now).Select(c => (DateTime?)c.NotBefore).Min();
}
