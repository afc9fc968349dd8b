namespace BatchMonitor.Core.Storage;

/// <summary><c>BatchMonitor:Storage</c> and <c>ConnectionStrings:BatchMonitor</c>.</summary>
public sealed class StorageOptions
{
    public const string DefaultConnectionString = "Data Source=data/batchmonitor.db";

    public string Provider { get; set; } = "sqlite";

    public string ConnectionString { get; set; } = DefaultConnectionString;
}
