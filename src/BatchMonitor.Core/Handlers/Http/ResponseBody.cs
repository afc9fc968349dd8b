using System.Buffers;
using System.Text;

namespace BatchMonitor.Core.Handlers.Http;

/// <summary>Reads a response body as text, streamed and never past a limit.</summary>
internal static class ResponseBody
{
    /// <summary>The body as text; a body over <paramref name="maxBytes"/> fails the item before it is read whole.</summary>
    public static async Task<string> ReadAsync(HttpContent content, long maxBytes, CancellationToken ct)
    {
        var max = (int)Math.Min(maxBytes, Array.MaxLength);
        if (content.Headers.ContentLength is { } length && length > max)
            throw new ItemFailedException(
                $"The response is {length:N0} bytes, more than the {max:N0} allowed (BatchMonitor:Http:MaxResponseBytes); it was not read.",
                retryable: false);

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            await using var stream = await content.ReadAsStreamAsync(ct);
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > max)
                    throw new ItemFailedException(
                        $"The response is more than the {max:N0} bytes allowed (BatchMonitor:Http:MaxResponseBytes); the rest was not read.",
                        retryable: false);
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        buffer.Position = 0;
        using var reader = new StreamReader(buffer, EncodingOf(content), detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync(ct);
    }

    private static Encoding EncodingOf(HttpContent content)
    {
        if (content.Headers.ContentType?.CharSet is { Length: > 0 } charset)
        {
            try
            {
                return Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                // An unknown charset: read it as UTF-8, as JSON is.
            }
        }
        return Encoding.UTF8;
    }
}
