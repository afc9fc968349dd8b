using System.Text.Json.Nodes;
using BatchMonitor.Core.Validation;

namespace BatchMonitor.Core.Handlers;

/// <summary>
/// A kind of batch. Implement this in one class, register it with
/// <c>services.AddBatchHandler&lt;MyHandler&gt;()</c>, and it appears in the UI and the API.
/// <list type="bullet">
/// <item>Return a result (any JSON, or null) and the item succeeds.</item>
/// <item>Throw <see cref="ItemFailedException"/> (or any exception) and the attempt fails; it is retried while
/// attempts are left, unless the exception says the failure is final.</item>
/// <item>Throw <see cref="BatchFatalException"/> and the whole batch stops as failed.</item>
/// <item>Observe the cancellation token: it fires on cancel, timeout and shutdown.</item>
/// </list>
/// Handlers are singletons and run many items at once: keep per-item state in locals.
/// </summary>
public interface IBatchHandler
{
    /// <summary>The name batches refer to, e.g. <c>demo</c>. Lowercase letters, digits, '-' and '_'.</summary>
    string Name { get; }

    /// <summary>One or two sentences for the New batch page and <c>GET /api/v1/handlers</c>.</summary>
    string Description { get; }

    /// <summary>The arguments a batch gives this handler; each is checked against its description before <see cref="Validate"/>.</summary>
    IReadOnlyList<HandlerArgument> Arguments { get; }

    /// <summary>Checks across arguments (e.g. minMs ≤ maxMs). Field names are argument names.</summary>
    ValidationErrors Validate(HandlerArgs args) => new();

    /// <summary>Processes one item.</summary>
    Task<JsonNode?> HandleAsync(ItemContext item, CancellationToken cancellationToken);
}
