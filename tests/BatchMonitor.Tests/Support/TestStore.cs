using System.Data.Common;
using BatchMonitor.Core.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BatchMonitor.Tests.Support;

/// <summary>
/// A storage provider the tests run on. A test class that takes its databases from <c>Store</c> (a virtual property,
/// SQLite in the class itself) runs on PostgreSQL too through a class derived from it that says
/// <see cref="Postgres"/> (Postgres/OnPostgres.cs): the same test code, on both.
/// </summary>
public sealed class TestStore
{
    public static readonly TestStore Sqlite = new(StorageOptions.Sqlite);
    public static readonly TestStore Postgres = new(StorageOptions.Postgres);

    private TestStore(string provider) => Provider = provider;

    /// <summary>The <c>BatchMonitor:Storage:Provider</c> value.</summary>
    public string Provider { get; }

    public bool IsPostgres => Provider == StorageOptions.Postgres;

    /// <summary>A new database of the test's own: a temporary SQLite file, or a PostgreSQL database with every migration.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync(bool migrated = true)
    {
        if (!IsPostgres)
            return new TestDatabase(this, $"Data Source={Path.Combine(Path.GetTempPath(), $"bm-test-{Guid.NewGuid():N}.db")}", null);
        var server = await PostgresServer.InstanceAsync();
        return new TestDatabase(this, await server.CreateDatabaseAsync(migrated), server);
    }

    /// <summary><see cref="EngineHarness.CreateAsync"/> on this provider.</summary>
    public Task<EngineHarness> HarnessAsync(Core.Engine.EngineOptions? options = null, bool start = true, TestDatabase? database = null,
        ScriptedHandler? handler = null, FakeTimeProvider? time = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null,
        Core.Nodes.NodeOptions? node = null) =>
        EngineHarness.CreateAsync(options, start, handler: handler, time: time, configure: configure, store: this, database: database, node: node);

    public override string ToString() => Provider;
}

/// <summary>One test's database; disposing it deletes the file or drops the database.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgresServer? _server;
    private int _disposed;

    internal TestDatabase(TestStore store, string connectionString, PostgresServer? server)
    {
        Store = store;
        ConnectionString = connectionString;
        _server = server;
    }

    public TestStore Store { get; }

    public string ConnectionString { get; }

    public StorageOptions Options => new() { Provider = Store.Provider, ConnectionString = ConnectionString };

    /// <summary>The app's configuration for this database.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("ConnectionStrings:BatchMonitor", ConnectionString),
        new("BatchMonitor:Storage:Provider", Store.Provider),
    ];

    /// <summary>The SQLite file (SQLite only).</summary>
    public string Path => Store.IsPostgres
        ? throw new InvalidOperationException("A PostgreSQL database has no file.")
        : new SqliteConnectionStringBuilder(ConnectionString).DataSource;

    /// <summary>A connection of the test's own, outside the app's pools, open.</summary>
    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = Store.IsPostgres
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString)
            : new SqliteConnection($"Data Source={Path};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>A batch id as this provider's SQL compares it (SQLite keeps uppercase text).</summary>
    public object Id(Guid id) => Store.IsPostgres ? id : id.ToString().ToUpperInvariant();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (_server is not null)
        {
            await _server.DropDatabaseAsync(ConnectionString);
            return;
        }
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try
            {
                File.Delete(Path + suffix);
            }
            catch (IOException)
            {
            }
        }
    }
}
