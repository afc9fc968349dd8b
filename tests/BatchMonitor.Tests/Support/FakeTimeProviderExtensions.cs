using System.Reflection;

namespace BatchMonitor.Tests.Support;

/// <summary>What the tests ask of Microsoft.Extensions.TimeProvider.Testing's <see cref="FakeTimeProvider"/> beyond its own API.</summary>
public static class FakeTimeProviderExtensions
{
    /// <summary>Where the tests' clock starts: Monday 2 March 2026, 09:00 UTC (the scenarios read "09:00", "09:16").</summary>
    public static readonly DateTimeOffset TestStart = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly FieldInfo? Waiters =
        typeof(FakeTimeProvider).GetField("Waiters", BindingFlags.Instance | BindingFlags.NonPublic);

    extension(FakeTimeProvider time)
    {
        /// <summary>The clock's time as the store keeps it (a UTC <see cref="DateTime"/>).</summary>
        public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

        /// <summary>Moves the clock forward by whole milliseconds, firing every timer that comes due.</summary>
        public void Advance(int milliseconds) => time.Advance(TimeSpan.FromMilliseconds(milliseconds));

        /// <summary>
        /// Timers armed and waiting to fire, so a test can wait until the code under test has started waiting.
        /// FakeTimeProvider keeps them in an internal set it locks while changing it; there is no public count.
        /// </summary>
        public int PendingTimers
        {
            get
            {
                var waiters = Waiters?.GetValue(time) as IReadOnlyCollection<object>
                    ?? throw new InvalidOperationException("FakeTimeProvider no longer keeps its timers in 'Waiters': update PendingTimers.");
                lock (waiters) return waiters.Count;
            }
        }
    }
}
