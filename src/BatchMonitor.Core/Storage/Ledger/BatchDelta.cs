namespace BatchMonitor.Core.Storage.Ledger;

/// <summary>How one transaction moves a batch's counters; the sum of the count changes is always zero.</summary>
internal sealed class BatchDelta
{
    public int Pending { get; set; }
    public int Running { get; set; }
    public int Succeeded { get; set; }
    public int Failed { get; set; }
    public int Skipped { get; set; }
    public int Cancelled { get; set; }
    public string? Step { get; set; }
    public double? ItemsPerSecond { get; set; }

    public bool IsEmpty => Pending == 0 && Running == 0 && Succeeded == 0 && Failed == 0 && Skipped == 0 && Cancelled == 0
                           && Step is null && ItemsPerSecond is null;

    public void Leave(Domain.ItemStatus from) => Add(from, -1);

    public void Enter(Domain.ItemStatus to) => Add(to, 1);

    public void Clear()
    {
        Pending = Running = Succeeded = Failed = Skipped = Cancelled = 0;
        Step = null;
        ItemsPerSecond = null;
    }

    private void Add(Domain.ItemStatus status, int n)
    {
        switch (status)
        {
            case Domain.ItemStatus.Pending: Pending += n; break;
            case Domain.ItemStatus.Running: Running += n; break;
            case Domain.ItemStatus.Succeeded: Succeeded += n; break;
            case Domain.ItemStatus.Failed: Failed += n; break;
            case Domain.ItemStatus.Skipped: Skipped += n; break;
            case Domain.ItemStatus.Cancelled: Cancelled += n; break;
        }
    }
}
