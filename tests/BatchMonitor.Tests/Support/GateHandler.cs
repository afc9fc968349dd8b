using System.Text.Json.Nodes;
using BatchMonitor.Core.Handlers;

namespace BatchMonitor.Tests.Support;

/// <summary>A handler whose items wait until the test opens the gate (or the item is cancelled): a batch that stays running.</summary>
public sealed class GateHandler : IBatchHandler
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "gate";

    public string Description => "Waits until the test opens the gate.";

    public IReadOnlyList<HandlerArgument> Arguments { get; } = [];

    public void Open() => _open.TrySetResult();

    public async Task<JsonNode?> HandleAsync(ItemContext item, CancellationToken cancellationToken)
    {
        await _open.Task.WaitAsync(cancellationToken);
        return new JsonObject { ["key"] = item.Key };
    }
}
