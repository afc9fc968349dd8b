using BatchMonitor.Core.Domain;

namespace BatchMonitor.Tests.Domain;

public sealed class BatchItemTests
{
    private static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    private static BatchItem Running(int attempts = 1) =>
        BatchItem.Claimed(1, Guid.NewGuid(), 0, "alice", null, null, attempts, Start);

    [Fact]
    public void Succeeding_records_the_result_and_duration()
    {
        var item = Running();
        item.ReportProgress(0.4, "Fetching");
        item.Succeed(Start.AddMilliseconds(1500), "{\"n\":1}");
        Assert.Equal(ItemStatus.Succeeded, item.Status);
        Assert.Equal(1, item.Progress);
        Assert.Equal(1500, item.DurationMs);
        Assert.Equal("{\"n\":1}", item.ResultJson);
        Assert.Equal(Start.AddMilliseconds(1500), item.FinishedAt);
    }

    [Fact]
    public void A_retry_goes_back_to_pending_with_its_error_and_due_time_but_no_finish()
    {
        var item = Running();
        item.RetryLater(Start.AddSeconds(1), "HTTP 503", Start.AddSeconds(3));
        Assert.Equal(ItemStatus.Pending, item.Status);
        Assert.Equal("HTTP 503", item.Error);
        Assert.Equal(Start.AddSeconds(3), item.NextAttemptAt);
        Assert.Null(item.FinishedAt);
        Assert.Equal(1, item.Attempts);
    }

    [Fact]
    public void Releasing_gives_the_attempt_back()
    {
        var item = Running(attempts: 2);
        item.Release();
        Assert.Equal(ItemStatus.Pending, item.Status);
        Assert.Equal(1, item.Attempts);
        Assert.Null(item.StartedAt);
    }

    [Fact]
    public void A_finished_item_refuses_another_outcome_naming_both_states()
    {
        var item = Running();
        item.Succeed(Start, null);
        var e = Assert.Throws<IllegalTransitionException>(() => item.Fail(Start, "late"));
        Assert.Contains("succeeded", e.Message);
        Assert.Contains("failed", e.Message);
        Assert.Throws<IllegalTransitionException>(() => item.Cancel(Start, "late"));
        Assert.Throws<IllegalTransitionException>(() => item.Release());
    }

    [Fact]
    public void A_pending_item_cannot_succeed_without_running()
    {
        var item = new BatchItem(Guid.NewGuid(), 0, "bob", null, null);
        var e = Assert.Throws<IllegalTransitionException>(() => item.Succeed(Start, null));
        Assert.Contains("pending", e.Message);
        Assert.Contains("succeeded", e.Message);
    }

    [Fact]
    public void Progress_is_clamped_and_ignored_once_the_item_stopped()
    {
        var item = Running();
        item.ReportProgress(7, "Saving");
        Assert.Equal(1, item.Progress);
        item.ReportProgress(double.NaN, null);
        Assert.Equal(0, item.Progress);
        Assert.Equal("Saving", item.Step);
        item.Fail(Start, "x");
        item.ReportProgress(0.5, "late");
        Assert.Equal("Saving", item.Step);
    }
}
