using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchMonitor.Core.Handlers;

/// <summary>A batch's arguments for its handler, already checked, with defaults filled in.</summary>
public sealed class HandlerArgs
{
    private readonly JsonObject _values;

    public HandlerArgs(JsonObject values) => _values = values;

    public static HandlerArgs Parse(string json) =>
        new(JsonNode.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json) as JsonObject ?? []);

    public bool Has(string name) => _values[name] is not null;

    public string? GetString(string name) => _values[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public long? GetInt64(string name) => _values[name] is JsonValue v ? AsDouble(v) is { } d ? (long)d : null : null;

    public int? GetInt32(string name) => GetInt64(name) is { } l ? (int)Math.Clamp(l, int.MinValue, int.MaxValue) : null;

    public double? GetDouble(string name) => _values[name] is JsonValue v ? AsDouble(v) : null;

    public bool? GetBoolean(string name) => _values[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public IReadOnlyDictionary<string, string> GetStringMap(string name) =>
        _values[name] is JsonObject o
            ? o.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>())
            : new Dictionary<string, string>();

    public JsonObject ToJsonObject() => (JsonObject)_values.DeepClone();

    public string ToJson() => _values.ToJsonString(Json.JsonDefaults.Storage);

    internal static double? AsDouble(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.Number => value.TryGetValue<double>(out var d) ? d
            : double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d) ? d : null,
        _ => null,
    };
}
