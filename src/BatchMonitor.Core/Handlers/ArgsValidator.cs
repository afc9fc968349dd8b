using System.Text.Json;
using System.Text.Json.Nodes;
using BatchMonitor.Core.Validation;

namespace BatchMonitor.Core.Handlers;

/// <summary>Checks a batch's args against its handler's argument descriptions, then the handler's own rules.</summary>
public static class ArgsValidator
{
    public static ValidationErrors Validate(IBatchHandler handler, JsonObject? args, out HandlerArgs normalized)
    {
        var errors = new ValidationErrors();
        var values = new JsonObject();
        var known = handler.Arguments.ToDictionary(a => a.Name, StringComparer.Ordinal);

        foreach (var (name, _) in args ?? [])
        {
            if (!known.ContainsKey(name))
            {
                var names = handler.Arguments.Count == 0 ? "none" : string.Join(", ", handler.Arguments.Select(a => a.Name));
                errors.Add(name, $"'{handler.Name}' has no argument '{name}'. Its arguments are: {names}.");
            }
        }

        foreach (var argument in handler.Arguments)
        {
            var value = args?[argument.Name];
            if (value is null || (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0
                                  && argument.Type is not (ArgumentType.String or ArgumentType.Text)))
            {
                if (argument.Required) errors.Add(argument.Name, $"{argument.Name} is required.");
                else if (argument.Default is not null) values[argument.Name] = argument.Default.DeepClone();
                continue;
            }
            if (argument.Required && value is JsonValue s && s.GetValueKind() == JsonValueKind.String
                && string.IsNullOrWhiteSpace(s.GetValue<string>()))
            {
                errors.Add(argument.Name, $"{argument.Name} is required.");
                continue;
            }
            var message = Check(argument, value);
            if (message is null) values[argument.Name] = value.DeepClone();
            else errors.Add(argument.Name, message);
        }

        normalized = new HandlerArgs(values);
        if (errors.IsValid) errors.AddRange("", handler.Validate(normalized));
        return errors;
    }

    private static string? Check(HandlerArgument a, JsonNode value)
    {
        var kind = value.GetValueKind();
        switch (a.Type)
        {
            case ArgumentType.Integer:
            case ArgumentType.Number:
                if (kind != JsonValueKind.Number || HandlerArgs.AsDouble((JsonValue)value) is not { } number || !double.IsFinite(number))
                    return $"{a.Name} must be a number.";
                if (a.Type == ArgumentType.Integer && Math.Floor(number) != number)
                    return $"{a.Name} must be a whole number.";
                if (a.Minimum is { } min && number < min) return $"{a.Name} must be at least {min}.";
                if (a.Maximum is { } max && number > max) return $"{a.Name} must be at most {max}.";
                return null;
            case ArgumentType.Boolean:
                return kind is JsonValueKind.True or JsonValueKind.False ? null : $"{a.Name} must be true or false.";
            case ArgumentType.String:
            case ArgumentType.Text:
                if (kind != JsonValueKind.String) return $"{a.Name} must be a string.";
                var text = value.GetValue<string>();
                if (a.MaxLength is { } length && text.Length > length) return $"{a.Name} must be at most {length} characters.";
                if (a.AllowedValues is { } allowed && !allowed.Contains(text, StringComparer.Ordinal))
                    return $"{a.Name} must be one of: {string.Join(", ", allowed)}.";
                return null;
            case ArgumentType.StringMap:
                if (value is not JsonObject map) return $"{a.Name} must be an object of names to string values.";
                foreach (var (name, item) in map)
                {
                    if (item is not JsonValue iv || iv.GetValueKind() != JsonValueKind.String)
                        return $"{a.Name}.{name} must be a string.";
                }
                return null;
            default:
                return null;
        }
    }
}
