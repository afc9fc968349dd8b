namespace BatchMonitor.Tests.Support;

/// <summary>Starts two actions at the same instant: each waits on its own thread at a barrier both reach, then goes.</summary>
public static class Race
{
    public static async Task<(TFirst First, TSecond Second)> AtOnceAsync<TFirst, TSecond>(Func<Task<TFirst>> first, Func<Task<TSecond>> second)
    {
        using var barrier = new Barrier(2);
        var a = Task.Factory.StartNew(() => { barrier.SignalAndWait(); return first(); },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        var b = Task.Factory.StartNew(() => { barrier.SignalAndWait(); return second(); },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        return (await a, await b);
    }

    public static Task<(TFirst First, bool Second)> AtOnceAsync<TFirst>(Func<Task<TFirst>> first, Action second) =>
        AtOnceAsync(first, () => { second(); return Task.FromResult(true); });
}
