using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BatchMonitor.Core.Handlers;

namespace BatchMonitor.Tests.Support;

/// <summary>A handler whose behaviour a test sets per call, and which records every call it gets.</summary>
public sealed class ScriptedHandler(string name = "scripted") : IBatchHandler
{
    private int _current;
    private int _max;

    public string Name { get; } = name;

    public string Description => "Does what the test says.";

    public IReadOnlyList<HandlerArgument> Arguments { get; } = [];

    public Func<ItemContext, CancellationToken, Task<JsonNode?>> Behaviour { get; set; } =
        (item, _) => Task.FromResult<JsonNode?>(new JsonObject { ["key"] = item.Key });

    public ConcurrentQueue<(string Key, int Attempt)> Calls { get; } = new();

    public int MaxConcurrent => Volatile.Read(ref _max);

    public int Running => Volatile.Read(ref _current);

    public int CallsFor(string key) => Calls.Count(c => c.Key == key);

    public async Task<JsonNode?> HandleAsync(ItemContext item, CancellationToken cancellationToken)
    {
        Calls.Enqueue((item.Key, item.Attempt));
        var now = Interlocked.Increment(ref _current);
        int seen;
        while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
        {
        }
        try
        {
            return await Behaviour(item, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _current);
        }
    }
}
