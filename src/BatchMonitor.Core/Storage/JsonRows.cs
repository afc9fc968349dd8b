using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// Many rows bound as one parameter: a JSON array of arrays that the statement reads back as a table
/// (<c>json_each</c> on SQLite, <c>jsonb_array_elements</c> on PostgreSQL; see <see cref="RowSource"/>). One text to bind
/// instead of a parameter per value: SQLite looks every bound parameter up by name in a list as long as the statement's,
/// so a multi-row statement with a parameter per value costs the square of its rows, and each bind is a call into the
/// database library. Ids and times are written in the form EF Core stores them on the provider, as <see cref="SqlValues"/> binds them.
/// </summary>
internal sealed class JsonRows(bool sqlite)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private Utf8JsonWriter? _writer;
    private bool _started;

    public int Count { get; private set; }

    public JsonRows Row()
    {
        var writer = Writer();
        if (Count > 0) writer.WriteEndArray();
        writer.WriteStartArray();
        Count++;
        return this;
    }

    public JsonRows Add(string? value)
    {
        if (value is null) Writer().WriteNullValue();
        else Writer().WriteStringValue(value);
        return this;
    }

    public JsonRows Add(int value) => Add((long)value);

    public JsonRows Add(long value)
    {
        Writer().WriteNumberValue(value);
        return this;
    }

    public JsonRows Add(long? value)
    {
        if (value is { } v) Writer().WriteNumberValue(v);
        else Writer().WriteNullValue();
        return this;
    }

    public JsonRows Add(double value)
    {
        Writer().WriteNumberValue(value);
        return this;
    }

    public JsonRows Add(Guid id) => Add(sqlite ? id.ToString().ToUpperInvariant() : id.ToString());

    /// <summary>SQLite: the text Microsoft.Data.Sqlite writes for a <see cref="DateTime"/>; PostgreSQL: UTC to the microsecond, as Npgsql sends it.</summary>
    public JsonRows Add(DateTime? time)
    {
        if (time is not { } t) return Add((string?)null);
        t = t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t;
        return Add(sqlite
            ? t.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture)
            : t.ToString(@"yyyy\-MM\-dd\THH\:mm\:ss.ffffff\Z", CultureInfo.InvariantCulture));
    }

    /// <summary>The rows as the parameter's text; the builder starts empty again.</summary>
    public string Take()
    {
        var writer = Writer();
        if (Count > 0) writer.WriteEndArray();
        writer.WriteEndArray();
        writer.Flush();
        var text = Encoding.UTF8.GetString(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        writer.Reset(_buffer);
        _started = false;
        Count = 0;
        return text;
    }

    private Utf8JsonWriter Writer()
    {
        _writer ??= new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        if (!_started)
        {
            _writer.WriteStartArray();
            _started = true;
        }
        return _writer;
    }
}

/// <summary>How a provider's SQL reads <see cref="JsonRows"/> back: the FROM clause and each cell with its type.</summary>
internal abstract class RowSource
{
    public static readonly RowSource Sqlite = new SqliteRows();
    public static readonly RowSource Postgres = new PostgresRows();

    /// <summary>A table alias <c>v</c> over the rows bound to <paramref name="parameter"/>.</summary>
    public abstract string From(string parameter);

    /// <summary>Cell <paramref name="index"/> of a row of <c>v</c>, as <paramref name="postgresType"/> where the database needs the type.</summary>
    public abstract string Cell(int index, string postgresType);

    /// <summary>A value bound once for every row, as <paramref name="postgresType"/> where the database needs the type.</summary>
    public abstract string Parameter(string parameter, string postgresType);

    private sealed class SqliteRows : RowSource
    {
        public override string From(string parameter) => $"json_each({parameter}) AS v";

        public override string Cell(int index, string postgresType) => $"(v.value ->> {index})";

        public override string Parameter(string parameter, string postgresType) => parameter;
    }

    private sealed class PostgresRows : RowSource
    {
        public override string From(string parameter) => $"jsonb_array_elements(CAST({parameter} AS jsonb)) AS v(value)";

        public override string Cell(int index, string postgresType) => $"CAST(v.value ->> {index} AS {postgresType})";

        public override string Parameter(string parameter, string postgresType) => $"CAST({parameter} AS {postgresType})";
    }
}
