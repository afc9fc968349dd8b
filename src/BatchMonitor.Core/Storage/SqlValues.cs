namespace BatchMonitor.Core.Storage;

/// <summary>Parameter values for hand-written SQL, in the form EF Core stores them (so both read the same rows).</summary>
internal static class SqlValues
{
    /// <summary>EF Core keeps GUIDs in SQLite as uppercase text.</summary>
    public static object Id(Guid id) => id.ToString().ToUpperInvariant();

    public static object Time(DateTime? time) =>
        time is { } t ? DateTime.SpecifyKind(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t, DateTimeKind.Unspecified) : DBNull.Value;

    public static object Nullable(object? value) => value ?? DBNull.Value;

    /// <summary>Text cut to the column's limit, ending in an ellipsis when cut.</summary>
    public static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..(max - 1)] + "…";
}
