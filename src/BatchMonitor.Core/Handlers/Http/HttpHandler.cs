using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchMonitor.Core.Validation;

namespace BatchMonitor.Core.Handlers.Http;

/// <summary>
/// One HTTP request per item, built from a URL template where <c>{key}</c> is the item's key (URL-escaped).
/// The result is the status, the latency and, with resultPath, a value taken from the JSON response.
/// 429 and 5xx responses, network errors and timeouts are retried; other 4xx responses fail at once.
/// </summary>
public sealed class HttpHandler(IHttpClientFactory clients) : IBatchHandler
{
    public const string ClientName = "BatchMonitor.Http";

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

    public string Name => "http";

    public string Description =>
        "One HTTP request per item from a URL template; status, latency and a value from the JSON response become the item's result.";

    public IReadOnlyList<HandlerArgument> Arguments { get; } =
    [
        new("urlTemplate", ArgumentType.String, "Absolute http(s) URL; {key} is replaced by the item's key, URL-escaped.")
            { Required = true, MaxLength = 2000, Placeholder = "https://api.example.com/accounts/{key}" },
        new("method", ArgumentType.String, "HTTP method.") { Default = "GET", AllowedValues = Methods },
        new("headers", ArgumentType.StringMap, "Request headers, as a JSON object of names to values.")
            { Placeholder = "{\"Authorization\": \"Bearer …\"}" },
        new("body", ArgumentType.Text, "Request body; {key} is replaced by the item's key as it is.")
            { MaxLength = 100_000 },
        new("contentType", ArgumentType.String, "Content type of the body.") { Default = "application/json", MaxLength = 200 },
        new("resultPath", ArgumentType.String, "JSON pointer to the value to keep from the response, e.g. /data/count.")
            { MaxLength = 500, Placeholder = "/data/count" },
        new("timeoutMs", ArgumentType.Integer, "Time allowed for one request, in milliseconds.")
            { Default = 10_000, Minimum = 1, Maximum = 600_000 },
    ];

    public ValidationErrors Validate(HandlerArgs args)
    {
        var errors = new ValidationErrors();
        var template = args.GetString("urlTemplate") ?? "";
        if (!Uri.TryCreate(template.Replace("{key}", "key", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https"))
            errors.Add("urlTemplate", "urlTemplate must be an absolute http or https URL.");
        if (args.GetString("resultPath") is { Length: > 0 } path && !JsonPointer.IsValid(path))
            errors.Add("resultPath", "resultPath must be a JSON pointer starting with '/', e.g. /data/count.");
        if (args.GetString("contentType") is { } contentType && !MediaTypeHeaderValue.TryParse(contentType, out _))
            errors.Add("contentType", $"'{contentType}' is not a content type; give a media type such as application/json or text/plain; charset=utf-8.");
        foreach (var (name, _) in args.GetStringMap("headers"))
        {
            if (string.IsNullOrWhiteSpace(name) || name.Any(c => c <= ' ' || c == ':' || c > '~'))
                errors.Add("headers", $"'{name}' is not a valid header name.");
        }
        return errors;
    }

    public async Task<JsonNode?> HandleAsync(ItemContext item, CancellationToken cancellationToken)
    {
        var args = item.Args;
        var url = args.GetString("urlTemplate")!.Replace("{key}", Uri.EscapeDataString(item.Key), StringComparison.Ordinal);
        var method = new HttpMethod(args.GetString("method") ?? "GET");
        var timeout = TimeSpan.FromMilliseconds(args.GetInt32("timeoutMs") ?? 10_000);

        using var request = new HttpRequestMessage(method, url);
        if (args.GetString("body") is { Length: > 0 } body && method != HttpMethod.Get && method != HttpMethod.Head)
        {
            request.Content = new StringContent(body.Replace("{key}", item.Key, StringComparison.Ordinal), Encoding.UTF8);
            request.Content.Headers.ContentType =
                MediaTypeHeaderValue.Parse(args.GetString("contentType") ?? "application/json");
        }
        foreach (var (name, value) in args.GetStringMap("headers"))
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
                request.Content?.Headers.TryAddWithoutValidation(name, value);
        }

        item.Report(0.1, $"{method} {Shorten(url)}");
        using var timeoutSource = new CancellationTokenSource(timeout, item.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        var started = item.Time.GetTimestamp();
        HttpResponseMessage response;
        string content;
        try
        {
            response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            item.Report(0.6, $"Reading response ({(int)response.StatusCode})");
            content = await response.Content.ReadAsStringAsync(linked.Token);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ItemFailedException($"No response within {timeout.TotalMilliseconds:0} ms.");
        }
        catch (HttpRequestException e)
        {
            throw new ItemFailedException($"Request failed: {e.Message}", retryable: true, e);
        }

        using (response)
        {
            var latencyMs = (long)item.Time.GetElapsedTime(started).TotalMilliseconds;
            var status = (int)response.StatusCode;
            if (status == (int)HttpStatusCode.TooManyRequests || status >= 500)
                throw new ItemFailedException($"HTTP {status} {response.ReasonPhrase}", retryable: true);
            if (status >= 400)
                throw new ItemFailedException($"HTTP {status} {response.ReasonPhrase}", retryable: false);

            JsonNode? value = null;
            if (args.GetString("resultPath") is { Length: > 0 } path)
            {
                value = Extract(content, path, out var problem);
                if (problem is not null) item.Log(problem, "warning");
            }
            return new JsonObject { ["status"] = status, ["latencyMs"] = latencyMs, ["value"] = value };
        }
    }

    private static JsonNode? Extract(string content, string path, out string? problem)
    {
        problem = null;
        JsonNode? document;
        try
        {
            document = JsonNode.Parse(content);
        }
        catch (JsonException)
        {
            problem = $"The response is not JSON, so {path} was not read.";
            return null;
        }
        if (JsonPointer.TryEvaluate(document, path, out var found)) return found?.DeepClone();
        problem = $"The response has nothing at {path}.";
        return null;
    }

    private static string Shorten(string url) => url.Length <= 80 ? url : string.Concat(url.AsSpan(0, 77), "…");
}
