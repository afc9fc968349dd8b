using System.Collections.Concurrent;
using System.Text.Json;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Json;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// A batch's options as the options column holds them (JSON). Reading goes through a cache of the texts seen: most
/// batches share a few option sets, and parsing each row's options again was a quarter of reading a list page's rows.
/// The options are immutable, so one instance serves every row with the same text.
/// </summary>
internal static class OptionsColumn
{
    /// <summary>Beyond this many different texts the cache is dropped and fills again.</summary>
    private const int MaxTexts = 1024;

    private static readonly ConcurrentDictionary<string, BatchOptions> Parsed = new(StringComparer.Ordinal);

    public static string Write(BatchOptions options) => JsonSerializer.Serialize(options, JsonDefaults.Storage);

    public static BatchOptions Read(string json)
    {
        if (Parsed.TryGetValue(json, out var options)) return options;
        options = JsonSerializer.Deserialize<BatchOptions>(json, JsonDefaults.Storage) ?? BatchOptions.Defaults;
        if (Parsed.Count >= MaxTexts) Parsed.Clear();
        Parsed[json] = options;
        return options;
    }
}
