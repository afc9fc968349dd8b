using System.Runtime.CompilerServices;
using System.Text;

namespace BatchMonitor.Tests.Support;

/// <summary>One event of a text/event-stream: its name and its data (comments are skipped).</summary>
public sealed record ServerSentEvent(string Name, string Data);

public static class ServerSentEvents
{
    /// <summary>Reads events as they arrive, until the server ends the stream.</summary>
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null || data.Length > 0) yield return new ServerSentEvent(name ?? "message", data.ToString());
                name = null;
                data.Clear();
            }
            else if (line.StartsWith(':')) continue;
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Append(data.Length > 0 ? "\n" : "").Append(line["data: ".Length..]);
        }
    }
}
