namespace BatchMonitor.Web.Components.Live;

/// <summary>
/// Turns any number of "something changed" signals into at most one flush per <see cref="Interval"/>: the first
/// signal after a quiet interval flushes at once, later ones are merged into one flush when the interval is over.
/// An urgent signal (what people watch moved: a count, a status) flushes at once unless the last flush was urgent
/// too and less than an interval ago, so a stream of urgent signals still flushes once per interval.
/// <see cref="Request"/> may be called from any thread and never blocks; the flush itself is the caller's
/// (a component hands it to its dispatcher with <c>InvokeAsync</c>).
/// </summary>
public sealed class RenderThrottle : IDisposable
{
    /// <summary>A signal this close to the end of the interval flushes at once rather than waiting on a timer for it.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(5);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Func<Task> _flush;
    private readonly Action<Exception> _onError;
    private readonly ITimer _timer;
    private long _lastFlush;
    private bool _hasFlushed;
    private bool _lastFlushUrgent;
    private bool _carriesUrgent;
    private bool _scheduled;
    private bool _disposed;

    public RenderThrottle(TimeProvider time, TimeSpan interval, Func<Task> flush, Action<Exception> onError)
    {
        _time = time;
        _flush = flush;
        _onError = onError;
        Interval = interval;
        _timer = time.CreateTimer(_ => _ = FlushAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public TimeSpan Interval { get; }

    /// <summary>Flushes were started this many times (what a test counts).</summary>
    public int Flushes { get; private set; }

    /// <summary>A flush is due (waiting for the interval to end).</summary>
    public bool IsScheduled
    {
        get
        {
            lock (_gate) return _scheduled;
        }
    }

    public void Request(bool urgent = false)
    {
        lock (_gate)
        {
            if (_disposed) return;
            var wait = _hasFlushed ? Interval - _time.GetElapsedTime(_lastFlush) : TimeSpan.Zero;
            var jump = urgent && !_lastFlushUrgent;
            _carriesUrgent |= urgent;
            if (_scheduled && !jump) return;
            _scheduled = true;
            if (wait > Slack && !jump)
            {
                _timer.Change(wait, Timeout.InfiniteTimeSpan);
                return;
            }
            // This flush takes whatever a timer was waiting for.
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        _ = FlushAsync(urgent);
    }

    private async Task FlushAsync(bool urgent = false)
    {
        lock (_gate)
        {
            if (_disposed || !_scheduled) return;
            // Cleared before the flush reads anything, so a change arriving during the flush asks for another one.
            _scheduled = false;
            _hasFlushed = true;
            _lastFlushUrgent = urgent || _carriesUrgent;
            _carriesUrgent = false;
            _lastFlush = _time.GetTimestamp();
            Flushes++;
        }
        try
        {
            await _flush();
        }
        catch (Exception e)
        {
            _onError(e);
        }
    }

    public void Dispose()
    {
        lock (_gate) _disposed = true;
        _timer.Dispose();
    }
}
