using BatchMonitor.Core.Engine;

namespace BatchMonitor.Tests.Engine;

public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData(1, 1000, 0, 1000)]
    [InlineData(2, 1000, 0, 2000)]
    [InlineData(3, 1000, 0, 4000)]
    [InlineData(4, 1000, 0, 8000)]
    [InlineData(1, 60_000, 0, 60_000)]
    [InlineData(2, 60_000, 0, 120_000)]
    [InlineData(3, 60_000, 0, 240_000)]
    [InlineData(1, 0, 0, 0)]
    [InlineData(2, 1000, 1, 2200)]
    [InlineData(2, 1000, -1, 1800)]
    [InlineData(3, 500, 0.5, 2100)]
    public void NextDelay_doubles_from_the_base_and_moves_by_at_most_the_jitter_share(int attempt, int baseMs, double jitter, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryPolicy.NextDelay(attempt, baseMs, jitter, jitterShare: 0.1));
    }

    [Fact]
    public void NextDelay_never_exceeds_a_week_however_many_attempts()
    {
        Assert.Equal(RetryPolicy.MaxDelay, RetryPolicy.NextDelay(100, 86_400_000));
    }

    [Fact]
    public void NextDelay_refuses_an_attempt_below_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.NextDelay(0, 1000));
    }
}
