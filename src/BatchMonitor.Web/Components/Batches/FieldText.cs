using System.Text.RegularExpressions;

namespace BatchMonitor.Web.Components.Batches;

/// <summary>
/// A service message in the words of the form that shows it: the API names a field by its JSON name
/// ("maxAttempts must be between 1 and 100"), the form by its label ("Attempts must be between 1 and 100").
/// </summary>
public static partial class FieldText
{
    /// <summary>
    /// <paramref name="message"/> with <paramref name="apiName"/> at its start replaced by <paramref name="label"/>
    /// (without a trailing unit such as "(ms)"), and "left out" (JSON) said as "left empty" (a form).
    /// </summary>
    public static string Say(string message, string apiName, string label)
    {
        var words = Words(label);
        if (message.StartsWith(apiName + " ", StringComparison.Ordinal)) message = words + message[apiName.Length..];
        return message.Replace(", or left out for ", ", or left empty for ", StringComparison.Ordinal);
    }

    /// <summary>A label without its unit: "Delay between items (ms)" → "Delay between items".</summary>
    public static string Words(string label) => Unit().Replace(label, "").Trim();

    [GeneratedRegex(@"\s*\([^)]*\)\s*$")]
    private static partial Regex Unit();
}
