namespace BatchMonitor.Core.Validation;

/// <summary>Messages per field (<c>options.concurrency</c>, <c>items[3].key</c>, <c>args.minMs</c>). Empty means valid.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public int Count => _errors.Count;

    public ValidationErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        if (!list.Contains(message)) list.Add(message);
        return this;
    }

    public void AddRange(string prefix, ValidationErrors other)
    {
        foreach (var (field, messages) in other._errors)
        foreach (var message in messages)
            Add(prefix.Length == 0 ? field : $"{prefix}.{field}", message);
    }

    /// <summary>Adds these errors to <paramref name="other"/> (fields it already has keep their messages too).</summary>
    public void AddTo(ValidationErrors other) => other.AddRange("", this);

    public bool Has(string field) => _errors.ContainsKey(field);

    public IReadOnlyList<string> For(string field) => _errors.TryGetValue(field, out var list) ? list : [];

    public IDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);

    public override string ToString() =>
        string.Join("; ", _errors.Select(p => $"{p.Key}: {string.Join(" ", p.Value)}"));

    public static ValidationErrors Single(string field, string message) => new ValidationErrors().Add(field, message);
}
