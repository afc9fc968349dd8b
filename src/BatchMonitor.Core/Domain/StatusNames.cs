using System.Collections.Frozen;

namespace BatchMonitor.Core.Domain;

/// <summary>
/// The snake_case words the API, the database and the UI use for every status
/// (<c>timed_out</c>, not <c>TimedOut</c>).
/// </summary>
public static class StatusNames
{
    private static readonly FrozenDictionary<BatchStatus, string> BatchNames = Enum.GetValues<BatchStatus>()
        .ToFrozenDictionary(s => s, s => ToSnake(s.ToString()));

    private static readonly FrozenDictionary<string, BatchStatus> BatchByName = BatchNames
        .ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<ItemStatus, string> ItemNames = Enum.GetValues<ItemStatus>()
        .ToFrozenDictionary(s => s, s => ToSnake(s.ToString()));

    private static readonly FrozenDictionary<string, ItemStatus> ItemByName = ItemNames
        .ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);

    public static string Name(this BatchStatus status) => BatchNames[status];

    public static string Name(this ItemStatus status) => ItemNames[status];

    public static IReadOnlyCollection<string> AllBatchNames => BatchByName.Keys;

    public static IReadOnlyCollection<string> AllItemNames => ItemByName.Keys;

    public static bool TryParseBatch(string? name, out BatchStatus status) =>
        BatchByName.TryGetValue(name?.Trim() ?? "", out status);

    public static bool TryParseItem(string? name, out ItemStatus status) =>
        ItemByName.TryGetValue(name?.Trim() ?? "", out status);

    public static BatchStatus ParseBatch(string name) =>
        TryParseBatch(name, out var s) ? s : throw new FormatException($"'{name}' is not a batch status.");

    public static ItemStatus ParseItem(string name) =>
        TryParseItem(name, out var s) ? s : throw new FormatException($"'{name}' is not an item status.");

    internal static string ToSnake(string pascal)
    {
        var sb = new System.Text.StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
