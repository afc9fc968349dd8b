using System.Reflection;

namespace BatchMonitor.Core.Nodes;

/// <summary>This process as a node: a new id at every start, and the name its leases carry.</summary>
public sealed class NodeIdentity
{
    public NodeIdentity(NodeOptions options)
    {
        options.Validate();
        Host = Environment.MachineName;
        Name = options.Name?.Trim() ?? $"{Host}-{Guid.NewGuid().ToString("N")[..6]}";
        Version = typeof(NodeIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                  ?? typeof(NodeIdentity).Assembly.GetName().Version?.ToString() ?? "0";
        if (Version.Length > 100) Version = Version[..100];
    }

    public Guid Id { get; } = Guid.CreateVersion7();
    public string Name { get; }
    public string Host { get; }
    public string Version { get; }
}
