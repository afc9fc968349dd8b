using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BatchMonitor.Core.Domain;

namespace BatchMonitor.Core.Services;

/// <summary>What a user, a script or a schedule asks for when starting a batch (API.md, POST /api/v1/batches).</summary>
public sealed record CreateBatchRequest
{
    public string? Name { get; init; }

    public string? Handler { get; init; }

    /// <summary>Strings, or <c>{key, group?, payload?}</c> objects. Exactly one of Items and Source.</summary>
    public IReadOnlyList<ItemInput>? Items { get; init; }

    /// <summary>Rows of a dataset instead of items.</summary>
    public BatchSource? Source { get; init; }

    public JsonObject? Args { get; init; }

    public OptionsInput? Options { get; init; }
}

/// <summary>
/// Which rows of a dataset become the items: all of them, the pending ones (never processed or failed last
/// time) or the selected keys; with <c>page</c>, only among the rows of that page (page 2 at 50 per page is
/// rows 51–100 in dataset order).
/// </summary>
public sealed record BatchSource
{
    public Guid? DatasetId { get; init; }
    public int? Page { get; init; }
    public int? PageSize { get; init; }
    public SourceRows? Only { get; init; }
    public IReadOnlyList<string>? Keys { get; init; }
}

public enum SourceRows
{
    /// <summary>Every row (of the page, when a page is given).</summary>
    All,

    /// <summary>Rows never processed or failed last time, and not held by another active batch over the dataset.</summary>
    Pending,

    /// <summary>The rows named by their keys.</summary>
    Selected,
}

/// <summary>One item of a request. In JSON a plain string is its key.</summary>
[JsonConverter(typeof(ItemInputJsonConverter))]
public sealed record ItemInput(string? Key, string? Group = null, JsonNode? Payload = null);

/// <summary>Options as given; what is left out takes <see cref="BatchOptions.Defaults"/>.</summary>
public sealed record OptionsInput
{
    public int? Concurrency { get; init; }
    public double? RatePerSecond { get; init; }
    public int? DelayBetweenItemsMs { get; init; }
    public int? MaxAttempts { get; init; }
    public int? RetryBaseDelayMs { get; init; }
    public int? ItemTimeoutMs { get; init; }
    public long? MaxRunMs { get; init; }
    public int? Priority { get; init; }
    public string? ExclusiveKey { get; init; }
    public ConflictPolicy? OnConflict { get; init; }
    public int? FailGroupAfter { get; init; }
    public PublishPolicy? PublishResults { get; init; }

    public static OptionsInput From(BatchOptions o) => new()
    {
        Concurrency = o.Concurrency,
        RatePerSecond = o.RatePerSecond,
        DelayBetweenItemsMs = o.DelayBetweenItemsMs,
        MaxAttempts = o.MaxAttempts,
        RetryBaseDelayMs = o.RetryBaseDelayMs,
        ItemTimeoutMs = o.ItemTimeoutMs,
        MaxRunMs = o.MaxRunMs,
        Priority = o.Priority,
        ExclusiveKey = o.ExclusiveKey,
        OnConflict = o.OnConflict,
        FailGroupAfter = o.FailGroupAfter,
        PublishResults = o.PublishResults,
    };
}

internal sealed class ItemInputJsonConverter : JsonConverter<ItemInput>
{
    public override ItemInput? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new ItemInput(reader.GetString());
            case JsonTokenType.StartObject:
                string? key = null, group = null;
                JsonNode? payload = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.GetString();
                    reader.Read();
                    switch (name)
                    {
                        case "key": key = ReadString(ref reader, "key"); break;
                        case "group": group = ReadString(ref reader, "group"); break;
                        case "payload": payload = JsonNode.Parse(ref reader); break;
                        default: throw new JsonException($"An item has no field '{name}'; an item is a string or {{key, group, payload}}.");
                    }
                }
                return new ItemInput(key, group, payload);
            default:
                throw new JsonException("An item must be a string or an object {key, group, payload}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, ItemInput value, JsonSerializerOptions options)
    {
        if (value.Group is null && value.Payload is null)
        {
            writer.WriteStringValue(value.Key);
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("key", value.Key);
        if (value.Group is not null) writer.WriteString("group", value.Group);
        if (value.Payload is not null)
        {
            writer.WritePropertyName("payload");
            value.Payload.WriteTo(writer, options);
        }
        writer.WriteEndObject();
    }

    private static string? ReadString(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"An item's {field} must be a string."),
    };
}
