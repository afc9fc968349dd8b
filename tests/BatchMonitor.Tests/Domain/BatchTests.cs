using BatchMonitor.Core.Domain;

namespace BatchMonitor.Tests.Domain;

public sealed class BatchTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    private static Batch NewBatch(BatchOptions? options = null) =>
        new(Guid.NewGuid(), "b", "demo", "{}", options ?? BatchOptions.Defaults, 3, Now, "me");

    /// <summary>Puts a new batch into a status by legal moves only.</summary>
    private static Batch In(BatchStatus status)
    {
        var b = NewBatch();
        switch (status)
        {
            case BatchStatus.Queued: break;
            case BatchStatus.Running: b.Start(Now); break;
            case BatchStatus.Paused: b.Start(Now); b.Pause(); break;
            case BatchStatus.Completed: b.Start(Now); b.Complete(Now); break;
            case BatchStatus.Failed: b.Fail(Now, "boom"); break;
            case BatchStatus.Cancelled: b.Cancel(Now); break;
            case BatchStatus.TimedOut: b.Start(Now); b.TimeOut(Now); break;
        }
        Assert.Equal(status, b.Status);
        return b;
    }

    public static TheoryData<BatchStatus, string> EveryStatusAndAction()
    {
        var data = new TheoryData<BatchStatus, string>();
        foreach (var status in Enum.GetValues<BatchStatus>())
        foreach (var action in Actions.Keys)
            data.Add(status, action);
        return data;
    }

    private static readonly Dictionary<string, (BatchStatus To, Action<Batch> Act)> Actions = new()
    {
        ["start"] = (BatchStatus.Running, b => b.Start(Now)),
        ["pause"] = (BatchStatus.Paused, b => b.Pause()),
        ["resume"] = (BatchStatus.Running, b => b.Resume()),
        ["complete"] = (BatchStatus.Completed, b => b.Complete(Now)),
        ["fail"] = (BatchStatus.Failed, b => b.Fail(Now, "boom")),
        ["cancel"] = (BatchStatus.Cancelled, b => b.Cancel(Now)),
        ["time out"] = (BatchStatus.TimedOut, b => b.TimeOut(Now)),
        ["requeue"] = (BatchStatus.Queued, b => b.Requeue()),
    };

    [Theory]
    [MemberData(nameof(EveryStatusAndAction))]
    public void Every_batch_method_moves_when_allowed_and_refuses_naming_both_states_otherwise(BatchStatus from, string action)
    {
        var batch = In(from);
        var (to, act) = Actions[action];
        var allowed = Lifecycle.CanMove(from, to) && !(action == "resume" && from != BatchStatus.Paused)
                                                  && !(action == "start" && from != BatchStatus.Queued);
        if (allowed)
        {
            act(batch);
            Assert.Equal(to, batch.Status);
        }
        else
        {
            var e = Assert.Throws<IllegalTransitionException>(() => act(batch));
            Assert.Contains(from.Name(), e.Message);
            Assert.Contains(to.Name(), e.Message);
            Assert.Equal(from, batch.Status);
        }
    }

    [Fact]
    public void Starting_sets_the_deadline_from_maxRunMs()
    {
        var batch = NewBatch(new BatchOptions { MaxRunMs = 900_000 });
        batch.Start(Now);
        Assert.Equal(Now.AddMinutes(15), batch.DeadlineAt);
        batch.TimeOut(Now.AddMinutes(15));
        Assert.Null(batch.DeadlineAt);
        Assert.Contains("15 min", batch.Error);
    }

    [Fact]
    public void Requeuing_a_finished_batch_clears_its_end_and_error()
    {
        var batch = In(BatchStatus.Failed);
        batch.Requeue();
        Assert.Equal(BatchStatus.Queued, batch.Status);
        Assert.Null(batch.FinishedAt);
        Assert.Null(batch.Error);
    }

    [Fact]
    public void Priority_changes_only_while_the_batch_has_work_ahead()
    {
        var running = In(BatchStatus.Running);
        running.SetPriority(5);
        Assert.Equal(5, running.Priority);
        Assert.Equal(5, running.Options.Priority);
        Assert.Throws<IllegalTransitionException>(() => In(BatchStatus.Completed).SetPriority(5));
    }
}
