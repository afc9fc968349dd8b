namespace BatchMonitor.Web.Components.Ui;

public enum ToastTone
{
    Info,
    Success,
    Warning,
    Danger,
}

/// <summary>One short message in the corner, with an optional link (to the batch it is about).</summary>
public sealed record Toast(string Title, string Message, ToastTone Tone = ToastTone.Info, string? Href = null)
{
    public Guid Id { get; } = Guid.NewGuid();
}

/// <summary>
/// This tab's toasts (one service per circuit). Anything may show one; the <see cref="Toasts"/> component draws them,
/// and each goes away by itself after <see cref="Lifetime"/> or when closed.
/// </summary>
public sealed class ToastService(TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(8);
    private const int MaxShown = 5;

    private readonly Lock _gate = new();
    private readonly List<(Toast Toast, ITimer Timer)> _shown = [];

    /// <summary>Raised from any thread when the list changes.</summary>
    public event Action? Changed;

    public IReadOnlyList<Toast> Shown
    {
        get
        {
            lock (_gate) return _shown.Select(s => s.Toast).ToList();
        }
    }

    public void Show(Toast toast)
    {
        lock (_gate)
        {
            var timer = time.CreateTimer(_ => Close(toast.Id), null, Lifetime, Timeout.InfiniteTimeSpan);
            _shown.Add((toast, timer));
            while (_shown.Count > MaxShown)
            {
                _shown[0].Timer.Dispose();
                _shown.RemoveAt(0);
            }
        }
        Changed?.Invoke();
    }

    public void Show(string title, string message, ToastTone tone = ToastTone.Info, string? href = null) =>
        Show(new Toast(title, message, tone, href));

    public void Close(Guid id)
    {
        lock (_gate)
        {
            var index = _shown.FindIndex(s => s.Toast.Id == id);
            if (index < 0) return;
            _shown[index].Timer.Dispose();
            _shown.RemoveAt(index);
        }
        Changed?.Invoke();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var (_, timer) in _shown) timer.Dispose();
            _shown.Clear();
        }
    }
}
