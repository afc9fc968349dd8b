using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// Parameter values for hand-written SQL, in the form EF Core stores them on the connection's provider (so both read
/// the same rows): on SQLite GUIDs are uppercase text and times are UTC without a kind; on PostgreSQL they are
/// <c>uuid</c> and <c>timestamp with time zone</c> (a UTC <see cref="DateTime"/>).
/// </summary>
internal static class SqlValues
{
    public static object Id(DbConnection connection, Guid id) => connection is SqliteConnection ? SqliteId(id) : id;

    public static object Time(DbConnection connection, DateTime? time) =>
        connection is SqliteConnection ? SqliteTime(time) : UtcTime(time);

    /// <summary>EF Core keeps GUIDs in SQLite as uppercase text.</summary>
    public static object SqliteId(Guid id) => id.ToString().ToUpperInvariant();

    public static object SqliteTime(DateTime? time) =>
        time is { } t ? DateTime.SpecifyKind(ToUtc(t), DateTimeKind.Unspecified) : DBNull.Value;

    /// <summary>Npgsql writes only a UTC <see cref="DateTime"/> to <c>timestamp with time zone</c>.</summary>
    public static object UtcTime(DateTime? time) =>
        time is { } t ? DateTime.SpecifyKind(ToUtc(t), DateTimeKind.Utc) : DBNull.Value;

    public static object Nullable(object? value) => value ?? DBNull.Value;

    /// <summary>Text cut to the column's limit, ending in an ellipsis when cut.</summary>
    public static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..(max - 1)] + "…";

    private static DateTime ToUtc(DateTime t) => t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t;
}
