namespace BatchMonitor.Core.Validation;

/// <summary>
/// Whether a name, a group, an exclusive key or an item key is safe to show as one line of text: no control
/// characters (NUL, tab, line breaks, DEL, C1), no line or paragraph separators, no bidirectional controls that make
/// text read otherwise than it is (embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, the marks U+200E,
/// U+200F and U+061C), and no half of a surrogate pair. Everything else, any script and emoji included, is fine.
/// </summary>
public static class DisplayText
{
    /// <summary>Null when <paramref name="text"/> is safe; else what is wrong, naming the character and where it is.</summary>
    /// <param name="what">The subject of the message: "The name", "The key".</param>
    public static string? Problem(string text, string what)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (Kind(c) is { } kind) return $"{what} cannot contain {kind} (U+{(int)c:X4} at position {i + 1}); it must be one line of plain text.";
        }
        return null;
    }

    public static bool IsSafe(string text) => Problem(text, "") is null;

    private static string? Kind(char c) => c switch
    {
        '\0' => "a NUL character",
        '\t' => "a tab",
        '\n' or '\r' or '\u0085' or '\u2028' or '\u2029' => "a line break",
        >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C' => "a bidirectional control character",
        _ when char.IsControl(c) => "a control character",
        _ when char.IsSurrogate(c) => "half of a surrogate pair",
        _ => null,
    };
}
