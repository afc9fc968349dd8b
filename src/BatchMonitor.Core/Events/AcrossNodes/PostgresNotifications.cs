using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BatchMonitor.Core.Events.AcrossNodes;

/// <summary>
/// PostgreSQL's <c>LISTEN</c>/<c>NOTIFY</c> on one channel of the database the nodes share: <see cref="SendAsync"/>
/// notifies on a pooled connection; <see cref="ListenAsync"/> keeps one connection of its own listening, and opens it
/// again after it breaks (a restarted server, a network cut), saying so through <c>connected</c> so the node can
/// re-read what it may have missed.
/// </summary>
internal sealed class PostgresNotifications : IAsyncDisposable
{
    public const string Channel = "batchmonitor_changes";

    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];

    private readonly NpgsqlDataSource _senders;
    private readonly string _listenerConnectionString;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresNotifications> _logger;

    public PostgresNotifications(string connectionString, TimeProvider time, ILogger<PostgresNotifications> logger)
    {
        _senders = NpgsqlDataSource.Create(connectionString);
        // Its own connection, outside the pool, with keepalives so a dead link is noticed while nothing arrives.
        _listenerConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            KeepAlive = 15,
            ApplicationName = "batchmonitor-listener",
        }.ConnectionString;
        _time = time;
        _logger = logger;
    }

    public async Task SendAsync(string payload, CancellationToken ct)
    {
        await using var command = _senders.CreateCommand("SELECT pg_notify(@channel, @payload)");
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("payload", payload);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Listens until <paramref name="ct"/> is cancelled. Payloads are handed to <paramref name="received"/> in order,
    /// on a loop apart from the connection's, so a slow handler never stalls the connection.
    /// </summary>
    /// <param name="connected">Called each time the listening connection is (again) up.</param>
    public async Task ListenAsync(Func<string, Task> received, Func<Task> connected, CancellationToken ct)
    {
        var inbox = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var handling = Task.Run(async () =>
        {
            await foreach (var payload in inbox.Reader.ReadAllAsync(CancellationToken.None))
            {
                try
                {
                    await received(payload);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    _logger.LogWarning(e, "A change announced by another node could not be read here.");
                }
            }
        }, CancellationToken.None);

        var failures = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await using var connection = new NpgsqlConnection(_listenerConnectionString);
                    await connection.OpenAsync(ct);
                    connection.Notification += (_, e) =>
                    {
                        if (e.Channel == Channel) inbox.Writer.TryWrite(e.Payload);
                    };
                    await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection)) await listen.ExecuteNonQueryAsync(ct);
                    if (failures > 0) _logger.LogInformation("Listening to the other nodes again.");
                    failures = 0;
                    await connected();
                    while (true) await connection.WaitAsync(ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    var pause = Backoff[Math.Min(failures, Backoff.Length - 1)];
                    failures++;
                    _logger.LogWarning(e, "Lost the connection that hears the other nodes; trying again in {Pause}.", pause);
                    await Task.Delay(pause, _time, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            inbox.Writer.TryComplete();
            await handling;
        }
    }

    public ValueTask DisposeAsync() => _senders.DisposeAsync();
}
