using BatchMonitor.Core.Scheduling;

namespace BatchMonitor.Tests.Scheduling;

/// <summary>How a skipped fire folds into the schedule's latest skipped row.</summary>
public sealed class SkippedFiresTests
{
    private static readonly DateTime FirstDue = new(2026, 3, 2, 9, 0, 1);

    [Fact]
    public void A_second_skip_behind_the_same_run_counts_two_from_the_first_fire_and_shows_the_runs_latest_status()
    {
        var folded = SkippedFires.Fold(SkippedFires.StillActive("ranking · 09:00", "queued"), FirstDue, SkippedFires.StillActive("ranking · 09:00", "running"));

        Assert.Equal("Previous run still active ('ranking · 09:00' is running). Skipped 2 fires in a row since 2026-03-02 09:00:01.", folded);
    }

    [Fact]
    public void Further_skips_raise_the_count_and_keep_the_first_fire()
    {
        var reason = SkippedFires.StillActive("ranking · 09:00", "paused");
        var latest = "Previous run still active ('ranking · 09:00' is running). Skipped 3,599 fires in a row since 2026-03-02 09:00:01.";

        Assert.Equal("Previous run still active ('ranking · 09:00' is paused). Skipped 3,600 fires in a row since 2026-03-02 09:00:01.",
            SkippedFires.Fold(latest, FirstDue.AddHours(1), reason));
    }

    [Theory]
    [InlineData("Previous run still active ('ranking · 08:59' is running).")]
    [InlineData("Previous run still active ('ranking · 08:59' is running). Skipped 7 fires in a row since 2026-03-02 08:59:02.")]
    [InlineData("Nothing to do: source: No row is pending.")]
    [InlineData("Missed 3 run(s) while the server was down (2026-03-02 08:00 – 2026-03-02 09:00).")]
    [InlineData(null)]
    public void A_skip_for_another_reason_or_behind_another_run_starts_a_row_of_its_own(string? latest)
    {
        Assert.Null(SkippedFires.Fold(latest, FirstDue, SkippedFires.StillActive("ranking · 09:00", "running")));
    }

    [Fact]
    public void Skips_with_nothing_to_do_fold_too()
    {
        Assert.Equal("Nothing to do: source: No row is pending. Skipped 2 fires in a row since 2026-03-02 09:00:01.",
            SkippedFires.Fold("Nothing to do: source: No row is pending.", FirstDue, "Nothing to do: source: No row is pending."));
    }
}
