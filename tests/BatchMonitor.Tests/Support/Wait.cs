using System.Diagnostics;

namespace BatchMonitor.Tests.Support;

/// <summary>Waits for a condition, never for a fixed time; gives up (and fails) after a generous limit.</summary>
public static class Wait
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? limit = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > (limit ?? Limit)) throw new TimeoutException($"Gave up waiting: {what}");
            await Task.Delay(5);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > (limit ?? Limit)) throw new TimeoutException($"Gave up waiting: {what}");
            await Task.Delay(5);
        }
    }

    public static async Task<T> ForAsync<T>(Task<T> task, string what, TimeSpan? limit = null)
    {
        var finished = await Task.WhenAny(task, Task.Delay(limit ?? Limit));
        if (finished != task) throw new TimeoutException($"Gave up waiting: {what}");
        return await task;
    }

    public static async Task ForAsync(Task task, string what, TimeSpan? limit = null)
    {
        var finished = await Task.WhenAny(task, Task.Delay(limit ?? Limit));
        if (finished != task) throw new TimeoutException($"Gave up waiting: {what}");
        await task;
    }
}
