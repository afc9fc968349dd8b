using System.Text.Json.Nodes;

namespace BatchMonitor.Core.Handlers.Http;

/// <summary>RFC 6901 JSON pointers: <c>/data/items/0/count</c>, with <c>~1</c> for '/' and <c>~0</c> for '~'.</summary>
public static class JsonPointer
{
    public static bool IsValid(string pointer) => pointer.Length == 0 || pointer[0] == '/';

    public static bool TryEvaluate(JsonNode? document, string pointer, out JsonNode? found)
    {
        found = document;
        if (pointer.Length == 0) return true;
        if (!IsValid(pointer)) return false;
        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            switch (found)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                    found = child;
                    break;
                case JsonArray array when int.TryParse(token, out var i) && i >= 0 && i < array.Count:
                    found = array[i];
                    break;
                default:
                    found = null;
                    return false;
            }
        }
        return true;
    }
}
