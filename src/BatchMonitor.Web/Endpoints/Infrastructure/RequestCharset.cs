using System.Text;
using Microsoft.Net.Http.Headers;

namespace BatchMonitor.Web.Endpoints.Infrastructure;

/// <summary>
/// The charset a request body declares. Without one, or with a name .NET knows, the framework reads a JSON body
/// (transcoding to UTF-8 if need be); with a name it does not know (<c>charset=bogus</c>, <c>charset=</c>, or a quoted
/// <c>charset="utf-8"</c>, which it does not unquote) it throws, which was a 500. Here such a body is refused before it
/// is read, and a quoted charset it knows is unquoted so the framework reads the body.
/// </summary>
public static class RequestCharset
{
    /// <summary>Null when the body can be read as declared; else the charset it names that cannot.</summary>
    public static string? Unreadable(HttpRequest request)
    {
        if (request.ContentType is not { Length: > 0 } contentType
            || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.Charset.HasValue)
            return null;
        var declared = mediaType.Charset.Value!;
        var name = HeaderUtilities.RemoveQuotes(declared).Value ?? "";
        if (!IsKnown(name)) return name;
        if (name != declared)
        {
            mediaType.Charset = name;
            request.ContentType = mediaType.ToString();
        }
        return null;
    }

    private static bool IsKnown(string name)
    {
        if (name.Equals("utf-8", StringComparison.OrdinalIgnoreCase)) return true;
        if (name.Length == 0) return false;
        try
        {
            _ = Encoding.GetEncoding(name);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return false;
        }
    }
}
