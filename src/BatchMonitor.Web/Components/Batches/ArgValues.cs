using System.Globalization;
using System.Text.Json.Nodes;
using BatchMonitor.Core.Handlers;

namespace BatchMonitor.Web.Components.Batches;

/// <summary>
/// A handler's arguments as typed in a form (<see cref="HandlerFields"/>): text per argument, a flag per boolean.
/// Empty means the handler's default; what does not parse is sent as typed, so the handler's checks say what is wrong.
/// </summary>
public sealed class ArgValues
{
    public Dictionary<string, string?> Text { get; } = [];

    public Dictionary<string, bool> Flags { get; } = [];

    public void Clear()
    {
        Text.Clear();
        Flags.Clear();
    }

    /// <summary>The form filled from stored arguments (editing a schedule's batch template).</summary>
    public static ArgValues From(JsonObject? args)
    {
        var values = new ArgValues();
        foreach (var (name, value) in args ?? [])
        {
            switch (value)
            {
                case JsonValue v when v.TryGetValue<bool>(out var flag):
                    values.Flags[name] = flag;
                    break;
                case JsonValue v when v.TryGetValue<string>(out var text):
                    values.Text[name] = text;
                    break;
                case JsonObject map when map.All(p => p.Value is JsonValue s && s.TryGetValue<string>(out _)):
                    values.Text[name] = string.Join('\n', map.Select(p => $"{p.Key}: {p.Value!.GetValue<string>()}"));
                    break;
                case not null:
                    values.Text[name] = value.ToJsonString();
                    break;
            }
        }
        return values;
    }

    public JsonObject Build(IBatchHandler? handler)
    {
        var args = new JsonObject();
        foreach (var argument in handler?.Arguments ?? [])
        {
            if (argument.Type == ArgumentType.Boolean)
            {
                if (Flags.TryGetValue(argument.Name, out var flag)) args[argument.Name] = flag;
                continue;
            }
            if (Text.GetValueOrDefault(argument.Name) is not { } text || text.Length == 0) continue;
            args[argument.Name] = argument.Type switch
            {
                ArgumentType.Integer when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
                ArgumentType.Integer or ArgumentType.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
                ArgumentType.StringMap => ParseMap(text),
                // Left as text: the handler's checks say what is wrong with it, beside the field.
                _ => text,
            };
        }
        return args;
    }

    /// <summary>"Name: value" per line (HTTP headers), or a JSON object.</summary>
    private static JsonNode ParseMap(string text)
    {
        if (text.TrimStart().StartsWith('{'))
        {
            try
            {
                return JsonNode.Parse(text) ?? text;
            }
            catch (System.Text.Json.JsonException)
            {
                return text;
            }
        }
        var map = new JsonObject();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) return text;
            map[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return map;
    }
}
