using System.Text.Json.Nodes;

namespace BatchMonitor.Core.Handlers;

public enum ArgumentType
{
    /// <summary>One line of text.</summary>
    String,

    /// <summary>Several lines of text (a request body, a template).</summary>
    Text,

    Integer,
    Number,
    Boolean,

    /// <summary>A JSON object whose values are strings (HTTP headers).</summary>
    StringMap,
}

/// <summary>Describes one argument of a handler: the New batch page draws a field from it and the API checks values against it.</summary>
public sealed record HandlerArgument(string Name, ArgumentType Type, string Description)
{
    public bool Required { get; init; }

    /// <summary>Used when a batch leaves the argument out.</summary>
    public JsonNode? Default { get; init; }

    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    /// <summary>For strings: the only values accepted.</summary>
    public IReadOnlyList<string>? AllowedValues { get; init; }

    public int? MaxLength { get; init; }

    /// <summary>An example shown in an empty field.</summary>
    public string? Placeholder { get; init; }
}
