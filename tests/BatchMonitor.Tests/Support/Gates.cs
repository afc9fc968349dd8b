using System.Collections.Concurrent;

namespace BatchMonitor.Tests.Support;

/// <summary>Holds handler calls until a test opens their gate, so "running" lasts exactly as long as the test wants.</summary>
public sealed class Gates
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private volatile bool _allOpen;

    public Task WaitAsync(string key, CancellationToken cancellationToken) =>
        _allOpen ? Task.CompletedTask : Get(key).Task.WaitAsync(cancellationToken);

    public void Open(string key) => Get(key).TrySetResult();

    public void OpenAll()
    {
        _allOpen = true;
        foreach (var gate in _gates.Values) gate.TrySetResult();
    }

    private TaskCompletionSource Get(string key) =>
        _gates.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
