using System.Globalization;
using System.Text.Json.Nodes;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Views;

namespace BatchMonitor.Web.Components.Batches;

/// <summary>
/// What a batch form holds as typed (New batch, a dataset's Process dialog): the handler, its arguments as text, the
/// options, a name. Empty means "the default". It becomes a request's handler, args and options; it can start from
/// an earlier batch (the next run over a dataset starts from the last one).
/// </summary>
public sealed class BatchForm
{
    public string Handler { get; private set; } = "";

    public string? Name { get; set; }

    /// <summary>Arguments as typed, by name (booleans are in <see cref="Bools"/>).</summary>
    public Dictionary<string, string?> Args { get; } = [];

    public Dictionary<string, bool> Bools { get; } = [];

    public OptionValues Options { get; set; } = new();

    /// <summary>Picks another handler; its arguments start empty.</summary>
    public void UseHandler(string name)
    {
        if (name == Handler) return;
        Handler = name;
        Args.Clear();
        Bools.Clear();
    }

    /// <summary>The handler named <paramref name="preferred"/> if there is one, else demo, else the first.</summary>
    public static BatchForm For(IReadOnlyList<IBatchHandler> handlers, string? preferred = null)
    {
        var form = new BatchForm();
        form.UseHandler(handlers.FirstOrDefault(h => h.Name == preferred)?.Name
                        ?? handlers.FirstOrDefault(h => h.Name == "demo")?.Name
                        ?? handlers.FirstOrDefault()?.Name ?? "");
        return form;
    }

    /// <summary>The same handler, arguments and options as <paramref name="batch"/> (options left at their default stay empty).</summary>
    public static BatchForm From(BatchView batch, IReadOnlyList<IBatchHandler> handlers) =>
        From(batch.Handler, batch.Args, OptionValues.From(batch.Options), handlers);

    /// <summary>A stored request (a schedule's batch template): its name, handler, arguments and options as typed.</summary>
    public static BatchForm From(CreateBatchRequest template, IReadOnlyList<IBatchHandler> handlers)
    {
        var form = From(template.Handler, template.Args, OptionValues.From(template.Options), handlers);
        form.Name = template.Name;
        return form;
    }

    private static BatchForm From(string? handlerName, JsonObject? args, OptionValues options, IReadOnlyList<IBatchHandler> handlers)
    {
        var form = For(handlers, handlerName);
        form.Options = options;
        if (form.Handler != handlerName) return form;
        var handler = handlers.First(h => h.Name == handlerName);
        foreach (var argument in handler.Arguments)
        {
            if (args is null || !args.TryGetPropertyValue(argument.Name, out var value) || value is null) continue;
            if (argument.Type == ArgumentType.Boolean)
            {
                if (value is JsonValue b && b.TryGetValue<bool>(out var flag)) form.Bools[argument.Name] = flag;
                continue;
            }
            form.Args[argument.Name] = argument.Type == ArgumentType.StringMap ? MapText(value) : Text(value);
        }
        return form;
    }

    public IBatchHandler? HandlerIn(IReadOnlyList<IBatchHandler> handlers) => handlers.FirstOrDefault(h => h.Name == Handler);

    /// <summary>Handler, name, args and options of a request; the caller adds the items or the source.</summary>
    public CreateBatchRequest ToRequest(IReadOnlyList<IBatchHandler> handlers) => new()
    {
        Name = string.IsNullOrWhiteSpace(Name) ? null : Name.Trim(),
        Handler = Handler,
        Args = BuildArgs(HandlerIn(handlers)),
        Options = Options.ToInput(),
    };

    public JsonObject BuildArgs(IBatchHandler? handler)
    {
        var args = new JsonObject();
        foreach (var argument in handler?.Arguments ?? [])
        {
            if (argument.Type == ArgumentType.Boolean)
            {
                if (Bools.TryGetValue(argument.Name, out var flag)) args[argument.Name] = flag;
                continue;
            }
            if (Args.GetValueOrDefault(argument.Name) is not { } text || text.Length == 0) continue;
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

    private static string Text(JsonNode value) =>
        value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();

    /// <summary>A map of strings back as "Name: value" lines; anything else as JSON.</summary>
    private static string MapText(JsonNode value) =>
        value is JsonObject map && map.All(p => p.Value is JsonValue v && v.TryGetValue<string>(out _))
            ? string.Join('\n', map.Select(p => $"{p.Key}: {p.Value!.GetValue<string>()}"))
            : value.ToJsonString();
}
