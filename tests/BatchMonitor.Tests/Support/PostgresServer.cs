using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BatchMonitor.Core.Storage;
using BatchMonitor.Web.Auth.Store;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BatchMonitor.Tests.Support;

/// <summary>
/// The PostgreSQL server the tests on PostgreSQL use, one per test run. <c>BATCHMONITOR_TEST_POSTGRES</c> (a connection
/// string of a user that may create databases) names one; without it the tests start their own: Debian's PostgreSQL
/// (<c>/usr/lib/postgresql/N/bin</c>, installed with apt-get when missing, as root, the way CI runs), <c>initdb</c> in a
/// temporary folder owned by the <c>postgres</c> user, listening on a free loopback port only, stopped when the run
/// ends. When there is no server to be had the tests fail, saying why: they never skip.
/// <para>
/// Each test gets a database of its own, copied from a template that already has every migration (store and auth), so
/// tests stay parallel and isolated and a new database takes milliseconds, not a migration run.
/// </para>
/// </summary>
public sealed class PostgresServer
{
    public const string Variable = "BATCHMONITOR_TEST_POSTGRES";
    private const string Template = "bm_template";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _admin;
    private readonly string? _folder;
    private readonly string? _binaries;

    private PostgresServer(string admin, string? folder, string? binaries)
    {
        _admin = admin;
        _folder = folder;
        _binaries = binaries;
    }

    /// <summary>The run's server, started on first use.</summary>
    public static Task<PostgresServer> InstanceAsync() => Shared.Value;

    /// <summary>A new database with every migration applied (or none: <paramref name="migrated"/> false); the caller drops it.</summary>
    public async Task<string> CreateDatabaseAsync(bool migrated = true)
    {
        var name = $"bm_{Guid.NewGuid():N}";
        await ExecuteAsync(_admin, migrated ? $"CREATE DATABASE {name} TEMPLATE {Template}" : $"CREATE DATABASE {name} TEMPLATE template0");
        return DatabaseConnectionString(name);
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing what still holds it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        using (var pooled = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(pooled);
        await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private string DatabaseConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(_admin)
        {
            Database = database,
            // Many test databases at once: idle connections go soon, so a dropped database leaves none behind.
            ConnectionIdleLifetime = 10,
            MaxPoolSize = 30,
        }.ConnectionString;

    private static async Task<PostgresServer> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        var server = string.IsNullOrWhiteSpace(given) ? await StartOwnAsync() : new PostgresServer(given, null, null);
        await server.CreateTemplateAsync();
        return server;
    }

    /// <summary>Migrates a fresh template database the way the app does at start (both contexts).</summary>
    private async Task CreateTemplateAsync()
    {
        // A template left by an earlier run on a given server is replaced: the migrations may have changed since.
        await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS {Template} WITH (FORCE)");
        await ExecuteAsync(_admin, $"CREATE DATABASE {Template} TEMPLATE template0");
        var connectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = Template, Pooling = false }.ConnectionString;
        var store = new DbContextOptionsBuilder<PostgresBatchMonitorDbContext>();
        StorageServiceCollectionExtensions.ConfigurePostgres(store, connectionString);
        await using (var db = new PostgresBatchMonitorDbContext(store.Options)) await db.Database.MigrateAsync();
        var auth = new DbContextOptionsBuilder<PostgresAuthDbContext>();
        AuthDbContext.ConfigurePostgres(auth, connectionString);
        await using (var db = new PostgresAuthDbContext(auth.Options)) await db.Database.MigrateAsync();
    }

    private static async Task<PostgresServer> StartOwnAsync()
    {
        var binaries = await FindOrInstallAsync();
        var root = Environment.UserName == "root";
        StopAbandoned(binaries, root);
        var folder = Directory.CreateTempSubdirectory("bm-postgres-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "owner.pid"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var data = Path.Combine(folder, "data");
        if (root) await RunAsync("chown", "postgres:postgres", folder);
        var port = FreePort();

        await AsPostgresAsync(root, $"{binaries}/initdb -D {data} -U postgres --auth=trust --locale=C --encoding=UTF8 -N",
            "initdb");
        // Loopback and a socket in the folder only; no fsync: a test database need not survive a power cut.
        var options = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off " +
                      "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB";
        await AsPostgresAsync(root, $"{binaries}/pg_ctl -D {data} -l {folder}/server.log -o '{options}' -w -t 60 start", "pg_ctl start");

        var server = new PostgresServer(
            new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres", Pooling = false }
                .ConnectionString, folder, binaries);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(root);
        return server;
    }

    /// <summary>Servers of earlier runs whose test process died before it could stop them.</summary>
    private static void StopAbandoned(string binaries, bool root)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "bm-postgres-*"))
        {
            var owner = Path.Combine(folder, "owner.pid");
            if (!File.Exists(owner) || !int.TryParse(File.ReadAllText(owner), out var pid) || Alive(pid)) continue;
            new PostgresServer("", folder, binaries).Stop(root);
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Stops the server the tests started and removes its folder (at the end of the run).</summary>
    private void Stop(bool root)
    {
        if (_folder is null || _binaries is null) return;
        try
        {
            if (File.Exists(Path.Combine(_folder, "data", "postmaster.pid")))
                AsPostgresAsync(root, $"{_binaries}/pg_ctl -D {_folder}/data -m immediate -w stop", "pg_ctl stop").Wait(TimeSpan.FromSeconds(20));
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception)
        {
            // The run is over; a folder left in /tmp is all that can remain.
        }
    }

    /// <summary>Debian's newest PostgreSQL binaries; installs the postgresql package when there are none.</summary>
    private static async Task<string> FindOrInstallAsync()
    {
        if (Find() is { } found) return found;
        var log = Environment.UserName == "root"
            ? await RunAsync("/bin/sh", "-c",
                "export DEBIAN_FRONTEND=noninteractive; apt-get -o DPkg::Lock::Timeout=300 update -qq && " +
                "apt-get -o DPkg::Lock::Timeout=300 install -y -qq postgresql")
            : "not root, so apt-get was not tried";
        return Find() ?? throw new InvalidOperationException(
            "The tests on PostgreSQL need a server: set " + Variable + " to a connection string (a user that may create " +
            "databases), or install Debian's PostgreSQL (as root: apt-get update && apt-get install -y postgresql) so the " +
            "tests can start their own from /usr/lib/postgresql/N/bin. Installing it failed:\n" + log);
    }

    private static string? Find()
    {
        const string Root = "/usr/lib/postgresql";
        if (!Directory.Exists(Root)) return null;
        return Directory.GetDirectories(Root)
            .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
            .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Dir, "bin", "initdb")))
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Dir, "bin"))
            .FirstOrDefault();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>PostgreSQL refuses to run as root: as root the command runs as the postgres user.</summary>
    private static async Task AsPostgresAsync(bool root, string command, string what)
    {
        var (exit, log) = root ? await RunWithExitAsync("su", "postgres", "-s", "/bin/sh", "-c", command)
            : await RunWithExitAsync("/bin/sh", "-c", command);
        if (exit != 0)
            throw new InvalidOperationException($"Starting PostgreSQL for the tests failed at {what} (exit {exit}): {command}\n{log}");
    }

    private static async Task<string> RunAsync(string file, params string[] args) => (await RunWithExitAsync(file, args)).Log;

    private static async Task<(int Exit, string Log)> RunWithExitAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, $"{await output}\n{await error}");
        }
        catch (Exception e)
        {
            return (-1, e.Message);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
