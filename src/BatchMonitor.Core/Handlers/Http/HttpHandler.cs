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
/// <see cref="HttpHandlerOptions"/> (<c>BatchMonitor:Http</c>) bound what it reads, which redirects it follows and
/// which addresses it calls (<see cref="NetworkPolicy"/>); a refused address, a redirect not followed and a response
/// over the size limit fail the item at once.
/// </summary>
public sealed class HttpHandler(IHttpClientFactory clients, HttpHandlerOptions options) : IBatchHandler
{
    public const string ClientName = "BatchMonitor.Http";

    private readonly NetworkPolicy _policy = new(options);

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
        else if (IPAddress.TryParse(uri.IdnHost.TrimStart('[').TrimEnd(']'), out var address) && _policy.Refusal(address) is { } refusal)
            errors.Add("urlTemplate", $"urlTemplate is refused: {refusal}");
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
        var body = args.GetString("body") is { Length: > 0 } template && method != HttpMethod.Get && method != HttpMethod.Head
            ? template.Replace("{key}", item.Key, StringComparison.Ordinal)
            : null;
        var request = new Request(method, new Uri(url), body, args.GetString("contentType") ?? "application/json", args.GetStringMap("headers"));
        var timeout = TimeSpan.FromMilliseconds(args.GetInt32("timeoutMs") ?? 10_000);

        item.Report(0.1, $"{method} {Shorten(url)}");
        using var timeoutSource = new CancellationTokenSource(timeout, item.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        var started = item.Time.GetTimestamp();
        try
        {
            using var response = await SendAsync(clients.CreateClient(ClientName), request, linked.Token);
            var status = (int)response.StatusCode;
            if (status == (int)HttpStatusCode.TooManyRequests || status >= 500)
                throw new ItemFailedException($"HTTP {status} {response.ReasonPhrase}", retryable: true);
            if (status >= 400)
                throw new ItemFailedException($"HTTP {status} {response.ReasonPhrase}", retryable: false);

            // Without resultPath the body is not needed, so it is not read (the connection drains or closes).
            JsonNode? value = null;
            if (args.GetString("resultPath") is { Length: > 0 } path)
            {
                item.Report(0.6, $"Reading response ({status})");
                var content = await ResponseBody.ReadAsync(response.Content, options.MaxResponseBytes, linked.Token);
                value = Extract(content, path, out var problem);
                if (problem is not null) item.Log(problem, "warning");
            }
            var latencyMs = (long)item.Time.GetElapsedTime(started).TotalMilliseconds;
            return new JsonObject { ["status"] = status, ["latencyMs"] = latencyMs, ["value"] = value };
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ItemFailedException($"No response within {timeout.TotalMilliseconds:0} ms.");
        }
        catch (HttpRequestException e) when (e.InnerException is DestinationRefusedException refused)
        {
            throw new ItemFailedException($"Refused: {refused.Message}", retryable: false, e);
        }
        catch (HttpRequestException e)
        {
            throw new ItemFailedException($"Request failed: {e.Message}", retryable: true, e);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ItemFailedException($"Reading the response failed: {e.Message}", retryable: true, e);
        }
    }

    private sealed record Request(HttpMethod Method, Uri Uri, string? Body, string ContentType, IReadOnlyDictionary<string, string> Headers);

    /// <summary>
    /// Sends the request and follows redirects: to the same host (and port, or from http to https) with the batch's
    /// headers, to another host only when <see cref="HttpHandlerOptions.AllowRedirectsToOtherHosts"/> is on and then
    /// without them; at most <see cref="HttpHandlerOptions.MaxRedirects"/>. Every hop connects through the network policy.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpClient client, Request request, CancellationToken ct)
    {
        for (var redirects = 0; ; redirects++)
        {
            HttpResponseMessage response;
            using (var message = Build(request))
                response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            if (status is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location) return response;
            response.Dispose();

            var next = location.IsAbsoluteUri ? location : new Uri(request.Uri, location);
            if (next.Scheme is not ("http" or "https"))
                throw new ItemFailedException($"HTTP {status} redirects to {Shorten(next.ToString())}, which is not an http(s) URL.", retryable: false);
            if (redirects >= options.MaxRedirects)
                throw new ItemFailedException($"More than {options.MaxRedirects} redirects (the last to {Shorten(next.ToString())}).", retryable: false);
            var sameHost = IsSameHost(request.Uri, next);
            if (!sameHost && !options.AllowRedirectsToOtherHosts)
                throw new ItemFailedException(
                    $"HTTP {status} redirects to another host ({Shorten(next.ToString())}); not followed (BatchMonitor:Http:AllowRedirectsToOtherHosts is off).",
                    retryable: false);

            var toGet = (status == 303 && request.Method != HttpMethod.Head) || (status is 301 or 302 && request.Method == HttpMethod.Post);
            request = request with
            {
                Uri = next,
                Method = toGet ? HttpMethod.Get : request.Method,
                Body = toGet ? null : request.Body,
                Headers = sameHost ? request.Headers : new Dictionary<string, string>(),
            };
        }
    }

    private static HttpRequestMessage Build(Request r)
    {
        var message = new HttpRequestMessage(r.Method, r.Uri);
        if (r.Body is not null)
        {
            message.Content = new StringContent(r.Body, Encoding.UTF8);
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(r.ContentType);
        }
        foreach (var (name, value) in r.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
                message.Content?.Headers.TryAddWithoutValidation(name, value);
        }
        return message;
    }

    private static bool IsSameHost(Uri from, Uri to) =>
        string.Equals(from.IdnHost, to.IdnHost, StringComparison.OrdinalIgnoreCase)
        && (from.Port == to.Port && from.Scheme == to.Scheme
            || from.Scheme == "http" && to.Scheme == "https" && from.IsDefaultPort && to.IsDefaultPort);

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
