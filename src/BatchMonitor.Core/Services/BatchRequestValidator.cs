using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Validation;

namespace BatchMonitor.Core.Services;

/// <summary>A request that passed every check, ready to store.</summary>
public sealed record ValidBatch(string Name, string Handler, string ArgsJson, BatchOptions Options, IReadOnlyList<NewItem> Items);

/// <summary>An item ready to insert.</summary>
public sealed record NewItem(string Key, string? Group, string? PayloadJson);

/// <summary>
/// Checks a batch request field by field and says what is wrong with each, in words a user can act on.
/// Nothing is stored unless every check passes.
/// </summary>
public static class BatchRequestValidator
{
    public const int MaxItems = 1_000_000;
    public const int MaxKeyLength = 1000;
    public const int MaxGroupLength = 200;
    public const int MaxNameLength = 200;
    public const int MaxPayloadChars = 65_536;
    private const int MaxItemMessages = 20;

    public static ValidationErrors Validate(CreateBatchRequest request, HandlerRegistry handlers, out ValidBatch? valid)
    {
        valid = null;
        var errors = new ValidationErrors();

        var name = request.Name?.Trim();
        if (name is { Length: > MaxNameLength }) errors.Add("name", $"The name must be at most {MaxNameLength} characters.");
        else if (name is not null && DisplayText.Problem(name, "The name") is { } unsafeName) errors.Add("name", unsafeName);

        IBatchHandler? handler = null;
        if (string.IsNullOrWhiteSpace(request.Handler))
            errors.Add("handler", "Choose a handler.");
        else if (!handlers.TryGet(request.Handler, out handler))
            errors.Add("handler", $"No handler is named '{request.Handler}'. Known handlers: {string.Join(", ", handlers.All.Select(h => h.Name))}.");

        HandlerArgs? args = null;
        if (handler is not null) errors.AddRange("args", ArgsValidator.Validate(handler, request.Args, out args));

        var options = ValidateOptions(request.Options ?? new OptionsInput(), errors);
        var items = ValidateItems(request.Items, errors);

        if (!errors.IsValid) return errors;
        valid = new ValidBatch(
            string.IsNullOrEmpty(name) ? DefaultName(handler!.Name, items.Count) : name,
            handler!.Name, args!.ToJson(), options, items);
        return errors;
    }

    public static string DefaultName(string handler, int count) => $"{handler} · {count:N0} item{(count == 1 ? "" : "s")}";

    /// <summary>Checks keys, groups and payloads (and that keys are unique); errors go under <paramref name="field"/>.</summary>
    public static List<NewItem> ValidateItems(IReadOnlyList<ItemInput>? input, ValidationErrors errors, string field = "items",
        string noun = "item")
    {
        var items = new List<NewItem>(input?.Count ?? 0);
        if (input is null || input.Count == 0)
        {
            errors.Add(field, $"Give at least one {noun}.");
            return items;
        }
        if (input.Count > MaxItems)
        {
            errors.Add(field, $"At most {MaxItems:N0} {noun}s fit; this has {input.Count:N0}.");
            return items;
        }

        var seen = new HashSet<string>(input.Count, StringComparer.Ordinal);
        var duplicates = new List<string>();
        var reported = 0;
        for (var i = 0; i < input.Count; i++)
        {
            var item = input[i];
            var problem = item is null ? "An item cannot be null."
                : string.IsNullOrWhiteSpace(item.Key) ? "The key cannot be empty."
                : item.Key.Length > MaxKeyLength ? $"The key must be at most {MaxKeyLength} characters; it has {item.Key.Length:N0}."
                : DisplayText.Problem(item.Key, "The key") is { } unsafeKey ? unsafeKey
                : item.Group is { Length: > MaxGroupLength } ? $"The group must be at most {MaxGroupLength} characters."
                : item.Group is not null && DisplayText.Problem(item.Group, "The group") is { } unsafeGroup ? unsafeGroup
                : null;
            string? payload = null;
            if (problem is null && item!.Payload is not null)
            {
                payload = item.Payload.ToJsonString(Json.JsonDefaults.Storage);
                if (payload.Length > MaxPayloadChars) problem = $"The payload must be at most {MaxPayloadChars:N0} characters of JSON.";
            }
            if (problem is not null)
            {
                if (reported++ < MaxItemMessages) errors.Add($"{field}[{i}]", problem);
                continue;
            }
            if (!seen.Add(item!.Key!))
            {
                if (duplicates.Count < 5) duplicates.Add(item.Key!);
                reported++;
                continue;
            }
            items.Add(new NewItem(item.Key!, string.IsNullOrEmpty(item.Group) ? null : item.Group, payload));
        }
        if (duplicates.Count > 0)
            errors.Add(field, $"Keys must be unique; repeated: {string.Join(", ", duplicates.Select(d => $"'{Shorten(d)}'"))}.");
        if (reported > MaxItemMessages)
            errors.Add(field, $"{reported:N0} {noun}s are invalid; the first {MaxItemMessages} are listed.");
        return items;
    }

    private static BatchOptions ValidateOptions(OptionsInput o, ValidationErrors errors)
    {
        var d = BatchOptions.Defaults;
        void Check(OptionLimit limit, double? value)
        {
            if (value is { } v && !limit.Allows(v)) errors.Add($"options.{limit.Field}", limit.Message);
        }
        Check(OptionLimits.Concurrency, o.Concurrency);
        Check(OptionLimits.RatePerSecond, o.RatePerSecond);
        Check(OptionLimits.DelayBetweenItemsMs, o.DelayBetweenItemsMs);
        Check(OptionLimits.MaxAttempts, o.MaxAttempts);
        Check(OptionLimits.RetryBaseDelayMs, o.RetryBaseDelayMs);
        Check(OptionLimits.ItemTimeoutMs, o.ItemTimeoutMs);
        Check(OptionLimits.MaxRunMs, o.MaxRunMs);
        Check(OptionLimits.Priority, o.Priority);
        Check(OptionLimits.FailGroupAfter, o.FailGroupAfter);
        var key = string.IsNullOrWhiteSpace(o.ExclusiveKey) ? null : o.ExclusiveKey.Trim();
        if (key is { Length: > 200 }) errors.Add("options.exclusiveKey", "exclusiveKey must be at most 200 characters.");
        else if (key is not null && DisplayText.Problem(key, "exclusiveKey") is { } unsafeKey) errors.Add("options.exclusiveKey", unsafeKey);
        if (o.OnConflict is { } c && !Enum.IsDefined(c)) errors.Add("options.onConflict", "onConflict must be queue or reject.");
        if (o.PublishResults is { } p && !Enum.IsDefined(p)) errors.Add("options.publishResults", "publishResults must be each or onSuccess.");

        return new BatchOptions
        {
            Concurrency = o.Concurrency ?? d.Concurrency,
            RatePerSecond = o.RatePerSecond,
            DelayBetweenItemsMs = o.DelayBetweenItemsMs ?? d.DelayBetweenItemsMs,
            MaxAttempts = o.MaxAttempts ?? d.MaxAttempts,
            RetryBaseDelayMs = o.RetryBaseDelayMs ?? d.RetryBaseDelayMs,
            ItemTimeoutMs = o.ItemTimeoutMs ?? d.ItemTimeoutMs,
            MaxRunMs = o.MaxRunMs,
            Priority = o.Priority ?? d.Priority,
            ExclusiveKey = key,
            OnConflict = o.OnConflict ?? d.OnConflict,
            FailGroupAfter = o.FailGroupAfter,
            PublishResults = o.PublishResults ?? d.PublishResults,
        };
    }

    internal static string Shorten(string key) => key.Length <= 40 ? key : key[..39] + "…";
}
