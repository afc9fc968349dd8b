using System.Text.Json.Nodes;
using BatchMonitor.Core.Handlers;

namespace BatchMonitor.Bench;

/// <summary>Does nothing and succeeds: what is measured is the engine and the store.</summary>
internal sealed class NoOpHandler : IBatchHandler
{
    public string Name => "noop";
    public string Description => "Succeeds at once.";
    public IReadOnlyList<HandlerArgument> Arguments { get; } = [];
    public Task<JsonNode?> HandleAsync(ItemContext item, CancellationToken cancellationToken) => Task.FromResult<JsonNode?>(null);
}
