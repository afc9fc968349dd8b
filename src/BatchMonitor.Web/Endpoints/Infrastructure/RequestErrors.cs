using System.Text.Json;
using System.Text.RegularExpressions;

namespace BatchMonitor.Web.Endpoints.Infrastructure;

/// <summary>
/// Turns the framework's "bad request" exceptions (unreadable JSON, a query value that is not a number, a missing
/// body, a wrong content type, a body too large) into problem answers that name the field and say what to send,
/// in the same <c>errors</c> shape as the service's own validation.
/// </summary>
public static partial class RequestErrors
{
    public sealed record Problem(int Status, string Title, string? Detail, IDictionary<string, string[]>? Errors);

    public static Problem Describe(BadHttpRequestException e, long? bodyLimit)
    {
        switch (e.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge:
                return new(e.StatusCode, ApiProblems.TitleFor(413),
                    bodyLimit is { } limit ? $"This call reads at most {BodyLimit.Describe(limit)} ({limit:N0} bytes)." : null, null);
            case StatusCodes.Status415UnsupportedMediaType:
                return new(e.StatusCode, ApiProblems.TitleFor(415), "Send the body as JSON with Content-Type: application/json.", null);
            case StatusCodes.Status400BadRequest:
                break;
            default:
                return new(e.StatusCode, ApiProblems.TitleFor(e.StatusCode), null, null);
        }

        if (FindJsonException(e) is { } json)
        {
            var (field, message) = DescribeJson(json);
            return new(400, "The request body is not valid JSON for this call.", $"{field}: {message}",
                new Dictionary<string, string[]> { [field] = [message] });
        }
        if (BindFailure().Match(e.Message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            var message = $"'{bind.Groups["value"].Value}' is not {Describe(bind.Groups["type"].Value)}.";
            return new(400, ApiProblems.TitleFor(400), $"{name}: {message}", new Dictionary<string, string[]> { [name] = [message] });
        }
        if (MissingBody().IsMatch(e.Message))
            return new(400, ApiProblems.TitleFor(400), "This call needs a JSON body.",
                new Dictionary<string, string[]> { ["body"] = ["This call needs a JSON body."] });
        if (MissingValue().Match(e.Message) is { Success: true } missing)
        {
            var name = missing.Groups["name"].Value;
            return new(400, ApiProblems.TitleFor(400), $"{name} is required.", new Dictionary<string, string[]> { [name] = [$"{name} is required."] });
        }
        return new(400, ApiProblems.TitleFor(400), e.Message, null);
    }

    private static JsonException? FindJsonException(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json) return json;
        }
        return null;
    }

    /// <summary>The field as the service names fields (<c>options.concurrency</c>, <c>items[3]</c>), and words a user can act on.</summary>
    private static (string Field, string Message) DescribeJson(JsonException e)
    {
        var field = e.Path is null or "$" ? "body" : e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path.TrimStart('$');
        var message = PathSuffix().Replace(e.Message, "").Trim();
        if (Unmapped().Match(message) is { Success: true } unmapped)
        {
            var name = unmapped.Groups["name"].Value;
            var parent = field.EndsWith(name, StringComparison.Ordinal) ? field[..^name.Length].TrimEnd('.') : field;
            return (field, $"Unknown field '{name}'{(parent.Length > 0 && parent != "body" ? $" in {parent}" : "")}; unknown fields are refused.");
        }
        if (Conversion().Match(message) is { Success: true } conversion)
            return (field, $"Expected {Describe(conversion.Groups["type"].Value)}.");
        // The reader's own exception inside means the text is not JSON at all (as opposed to JSON of the wrong shape).
        if (e.InnerException is JsonException && e.LineNumber is { } line && e.BytePositionInLine is { } position)
            return ("body", $"The body is not valid JSON: {message.TrimEnd('.')} (line {line + 1}, position {position + 1}).");
        return (field, message);
    }

    private static string Describe(string typeName)
    {
        var type = NullableType().Match(typeName) is { Success: true } n ? n.Groups["inner"].Value : typeName.TrimEnd('?');
        return type.Split('.', '+').Last() switch
        {
            "Int32" or "Int64" or "Int16" or "int" or "long" => "a whole number",
            "Double" or "Single" or "Decimal" or "double" => "a number",
            "Boolean" or "bool" => "true or false",
            "String" or "string" => "a string",
            "Guid" => "an id (a GUID)",
            "DateTime" or "DateTimeOffset" => "an ISO 8601 time",
            "ConflictPolicy" => "one of: queue, reject",
            "PublishPolicy" => "one of: each, onSuccess",
            "MisfirePolicy" => "one of: skip, runOnce",
            "SourceRows" => "one of: all, pending, selected",
            "JsonObject" or "OptionsInput" or "CreateBatchRequest" or "PatchBatchRequest" or "CreateApiKeyRequest" or "BatchSource"
                or "CreateDatasetRequest" or "AppendRowsRequest" or "PatchDatasetRequest" or "ScheduleInput" or "PatchScheduleRequest" => "an object",
            var other when other.StartsWith("IReadOnlyList", StringComparison.Ordinal) || other.StartsWith("List", StringComparison.Ordinal) => "an array",
            _ => "a value of another type",
        };
    }

    [GeneratedRegex(@"\s*(Path: .*)?\s*\|?\s*LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$")]
    private static partial Regex PathSuffix();

    [GeneratedRegex(@"The JSON property '(?<name>[^']*)' could not be mapped to any \.NET member")]
    private static partial Regex Unmapped();

    [GeneratedRegex(@"The JSON value could not be converted to (?<type>[^\s]+?)\.?$")]
    private static partial Regex Conversion();

    [GeneratedRegex(@"^(System\.)?Nullable(`1\[|<)(?<inner>.+)(\]|>)$")]
    private static partial Regex NullableType();

    [GeneratedRegex("^Failed to bind parameter \"(?<type>[^ ]+) (?<name>[^\"]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    [GeneratedRegex("(Implicit body inferred for parameter .* but no body was provided)|(Required parameter \".*\" was not provided from body)|(Unexpected end of request content)")]
    private static partial Regex MissingBody();

    [GeneratedRegex("^Required parameter \"[^ ]+ (?<name>[^\"]+)\" was not provided from (query string|route|header)")]
    private static partial Regex MissingValue();
}
