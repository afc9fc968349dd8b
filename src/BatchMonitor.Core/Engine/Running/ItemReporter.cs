using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine.Writing;
using BatchMonitor.Core.Handlers;

namespace BatchMonitor.Core.Engine.Running;

/// <summary>
/// Takes a handler's progress reports for one item and passes them to the writer at most once per interval;
/// the last report in an interval is written when the interval ends, so the step shown is never stale.
/// </summary>
internal sealed class ItemReporter(BatchItem item, EngineWriter writer, TimeProvider time, TimeSpan interval)
    : IItemObserver, IDisposable
{
    private readonly Lock _gate = new();
    private long _lastWrite;
    private bool _dirty;
    private bool _closed;
    private ITimer? _timer;

    public void Progress(double progress, string? step)
    {
        lock (_gate)
        {
            if (_closed) return;
            item.ReportProgress(progress, step);
            if (_dirty) return;
            var since = _lastWrite == 0 ? interval : time.GetElapsedTime(_lastWrite);
            if (since >= interval)
            {
                Write();
                return;
            }
            _dirty = true;
            _timer ??= time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(interval - since, Timeout.InfiniteTimeSpan);
        }
    }

    public void Log(string level, string message)
    {
        lock (_gate)
        {
            if (_closed) return;
        }
        writer.Log(item.BatchId, LogLevels.All.Contains(level) ? level : LogLevels.Info, item.Key, message);
    }

    /// <summary>No report is taken after this: the item's outcome is about to be recorded.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            _timer?.Dispose();
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_closed || !_dirty) return;
            _dirty = false;
            Write();
        }
    }

    private void Write()
    {
        _lastWrite = time.GetTimestamp();
        writer.Progress(item);
    }
}
