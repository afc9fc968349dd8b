using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;

namespace BatchMonitor.Tests.Support;

/// <summary>
/// A minimal SignalR client speaking the JSON hub protocol over a WebSocket, straight to the hub (no negotiate):
/// handshake <c>{"protocol":"json","version":1}</c>, records ending with 0x1E, invocations (type 1) and their
/// completions (type 3). The official client package cannot be restored here.
/// </summary>
public sealed class SignalRJsonClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly WebSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonNode?>> _calls = new();
    private readonly Task _receiving;
    private int _nextId;

    private SignalRJsonClient(WebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveAsync);
    }

    /// <summary>Every server-to-client invocation received: target and arguments.</summary>
    public ConcurrentQueue<(string Target, JsonArray Arguments)> Received { get; } = new();

    public static async Task<SignalRJsonClient> ConnectAsync(TestServer server, string path, Action<HttpRequestMessage>? configure = null)
    {
        var client = server.CreateWebSocketClient();
        if (configure is not null)
        {
            client.ConfigureRequest = request =>
            {
                var message = new HttpRequestMessage();
                configure(message);
                foreach (var header in message.Headers) request.Headers[header.Key] = header.Value.ToArray();
            };
        }
        var uri = new UriBuilder(server.BaseAddress) { Scheme = "ws", Path = path }.Uri;
        var socket = await client.ConnectAsync(uri, CancellationToken.None);
        await SendRawAsync(socket, "{\"protocol\":\"json\",\"version\":1}");
        var handshake = await ReceiveRecordAsync(socket, CancellationToken.None);
        if (handshake is null || handshake.Contains("error", StringComparison.Ordinal))
            throw new InvalidOperationException($"The hub refused the handshake: {handshake}");
        return new SignalRJsonClient(socket);
    }

    /// <summary>Calls a hub method and waits for its completion; a hub error becomes an exception.</summary>
    public async Task<JsonNode?> InvokeAsync(string target, params object[] arguments)
    {
        var id = Interlocked.Increment(ref _nextId).ToString();
        var done = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[id] = done;
        var message = new JsonObject
        {
            ["type"] = 1,
            ["invocationId"] = id,
            ["target"] = target,
            ["arguments"] = JsonSerializer.SerializeToNode(arguments, BatchMonitorApp.Json),
        };
        await SendRawAsync(_socket, message.ToJsonString());
        return await Wait.ForAsync(done.Task, $"the hub to complete {target}");
    }

    public IEnumerable<JsonArray> ArgumentsOf(string target) => Received.Where(r => r.Target == target).Select(r => r.Arguments);

    private async Task ReceiveAsync()
    {
        try
        {
            while (await ReceiveRecordAsync(_socket, _stop.Token) is { } record)
            {
                var message = JsonNode.Parse(record)!.AsObject();
                switch ((int)message["type"]!)
                {
                    case 1:
                        Received.Enqueue(((string)message["target"]!, message["arguments"]!.AsArray()));
                        break;
                    case 3 when _calls.TryRemove((string)message["invocationId"]!, out var call):
                        if (message["error"] is { } error) call.TrySetException(new InvalidOperationException((string?)error));
                        else call.TrySetResult(message["result"]?.DeepClone());
                        break;
                    case 7:
                        return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            foreach (var call in _calls.Values) call.TrySetException(new InvalidOperationException("The hub connection closed."));
        }
    }

    private static async Task SendRawAsync(WebSocket socket, string json) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Reads one record; a WebSocket message may hold several, or part of one (kept per socket, decoded across frames).</summary>
    private static readonly ConditionalWeakTable<WebSocket, Incoming> Pending = new();

    private sealed class Incoming
    {
        public StringBuilder Text { get; } = new();
        public Decoder Decoder { get; } = Encoding.UTF8.GetDecoder();
    }

    private static async Task<string?> ReceiveRecordAsync(WebSocket socket, CancellationToken ct)
    {
        var incoming = Pending.GetValue(socket, _ => new Incoming());
        var bytes = new byte[8192];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        while (true)
        {
            var text = incoming.Text.ToString();
            var end = text.IndexOf(RecordSeparator);
            if (end >= 0)
            {
                incoming.Text.Remove(0, end + 1);
                return text[..end];
            }
            var result = await socket.ReceiveAsync(bytes, ct);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            var count = incoming.Decoder.GetChars(bytes, 0, result.Count, chars, 0, flush: false);
            incoming.Text.Append(chars, 0, count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Closing races the receive loop; the connection ends either way.
        }
        await _stop.CancelAsync();
        await Task.WhenAny(_receiving, Task.Delay(TimeSpan.FromSeconds(5)));
        _socket.Dispose();
        _stop.Dispose();
    }
}
