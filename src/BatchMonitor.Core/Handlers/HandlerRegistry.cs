using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace BatchMonitor.Core.Handlers;

/// <summary>Every registered handler by name.</summary>
public sealed partial class HandlerRegistry
{
    private readonly FrozenDictionary<string, IBatchHandler> _byName;

    public HandlerRegistry(IEnumerable<IBatchHandler> handlers)
    {
        var map = new Dictionary<string, IBatchHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!NamePattern().IsMatch(handler.Name))
                throw new InvalidOperationException($"Handler name '{handler.Name}' must be lowercase letters, digits, '-' or '_'.");
            if (!map.TryAdd(handler.Name, handler))
                throw new InvalidOperationException($"Two handlers are named '{handler.Name}'.");
        }
        _byName = map.ToFrozenDictionary(StringComparer.Ordinal);
        All = [.. _byName.Values.OrderBy(h => h.Name, StringComparer.Ordinal)];
    }

    public IReadOnlyList<IBatchHandler> All { get; }

    public bool TryGet(string? name, out IBatchHandler handler) =>
        _byName.TryGetValue(name ?? "", out handler!);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,99}$")]
    private static partial Regex NamePattern();
}
