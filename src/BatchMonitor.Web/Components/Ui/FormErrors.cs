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

    /// <summary>Messages of fields the form has no place for (shown in its summary).</summary>
    public IEnumerable<string> Others(params string[] fields) =>
        _messages.Where(m => !fields.Contains(m.Key)).Select(m => m.Value);
}
