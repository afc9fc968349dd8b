using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BatchMonitor.Web.Components.Live;

/// <summary>
/// This circuit's connection to its browser tab. When a dropped connection comes back, live pages re-read their
/// state from the store (what they show must not depend on events sent while the tab was away).
/// </summary>
public sealed class CircuitConnection : CircuitHandler
{
    private bool _everConnected;

    public bool IsConnected { get; private set; }

    /// <summary>Raised on the circuit's connection thread; handlers hand the work to their component's dispatcher.</summary>
    public event Action? Reconnected;

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        IsConnected = true;
        if (_everConnected) Reconnected?.Invoke();
        _everConnected = true;
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        IsConnected = false;
        return Task.CompletedTask;
    }

    /// <summary>For tests: as if the tab had reconnected.</summary>
    internal void SimulateReconnect() => Reconnected?.Invoke();
}
