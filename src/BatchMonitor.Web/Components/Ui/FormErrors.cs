using BatchMonitor.Core.Validation;

namespace BatchMonitor.Web.Components.Ui;

/// <summary>
/// The messages a form shows beside its fields, one line per field: the service's answer to a submit, then the form's
/// own check of a field run again as the user types (so a message clears as soon as the field is right, and a message
/// the service gave goes when the field it was about changes).
/// </summary>
public sealed class FormErrors
{
    private readonly Dictionary<string, string> _messages = new(StringComparer.Ordinal);

    public bool Any => _messages.Count > 0;

    public int Count => _messages.Count;

    /// <summary>The message beside <paramref name="field"/>, or null.</summary>
    public string? this[string field] => _messages.GetValueOrDefault(field);

    public bool Has(string field) => _messages.ContainsKey(field);

    /// <summary>Sets or (with null) clears the message of one field.</summary>
    public void Set(string field, string? message)
    {
        if (message is null) _messages.Remove(field);
        else _messages[field] = message;
    }

    public void Clear() => _messages.Clear();

    /// <summary>Takes a service's answer: each field's messages on one line.</summary>
    public void Take(ValidationErrors errors)
    {
        foreach (var (field, messages) in errors.ToDictionary()) _messages[field] = string.Join(" ", messages);
    }

    /// <summary>
    /// A service's answer less the fields <paramref name="stale"/> names (they changed since, so their messages no longer
    /// hold); null when nothing is left. For forms that hand <see cref="ValidationErrors"/> on to a field component.
    /// </summary>
    public static ValidationErrors? Without(ValidationErrors? errors, Func<string, bool> stale)
    {
        if (errors is null) return null;
        var kept = new ValidationErrors();
        foreach (var (field, messages) in errors.ToDictionary())
        {
            if (stale(field)) continue;
            foreach (var message in messages) kept.Add(field, message);
        }
        return kept.IsValid ? null : kept;
    }

    /// <summary>Whether a field is about the items (rows) of a request: <c>items</c> or <c>items[3].key</c>.</summary>
    public static bool IsItems(string field) => field == "items" || field.StartsWith("items[", StringComparison.Ordinal);

    /// <summary>Messages of fields the form has no place for (shown in its summary).</summary>
    public IEnumerable<string> Others(params string[] fields) =>
        _messages.Where(m => !fields.Contains(m.Key)).Select(m => m.Value);
}
