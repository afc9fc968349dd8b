using Microsoft.Extensions.Configuration;

namespace BatchMonitor.Core.Storage;

/// <summary><c>BatchMonitor:Storage</c> and <c>ConnectionStrings:BatchMonitor</c>.</summary>
public sealed class StorageOptions
{
    public const string DefaultConnectionString = "Data Source=data/batchmonitor.db";

    /// <summary>The embedded default for one node: a file, nothing to install.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>A PostgreSQL server, which several nodes can share.</summary>
    public const string Postgres = "postgres";

    public string Provider { get; set; } = Sqlite;

    public string ConnectionString { get; set; } = DefaultConnectionString;

    /// <summary><c>BatchMonitor:Storage:Provider</c> (checked) and <c>ConnectionStrings:BatchMonitor</c>.</summary>
    public static StorageOptions From(IConfiguration configuration) => new()
    {
        Provider = Normalize(configuration["BatchMonitor:Storage:Provider"]),
        ConnectionString = configuration.GetConnectionString("BatchMonitor") ?? DefaultConnectionString,
    };

    /// <summary>The provider's name as written in this class, or a start-up error naming the ones there are.</summary>
    public static string Normalize(string? provider) => provider?.Trim().ToLowerInvariant() switch
    {
        null or "" or Sqlite => Sqlite,
        Postgres or "postgresql" => Postgres,
        _ => throw new InvalidOperationException(
            $"BatchMonitor:Storage:Provider '{provider}' is not a storage provider; use '{Sqlite}' (the default, a file) or '{Postgres}' (with ConnectionStrings:BatchMonitor naming the server)."),
    };
}
