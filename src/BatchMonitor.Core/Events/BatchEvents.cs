using BatchMonitor.Core.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BatchMonitor.Core.Events;

/// <summary>
/// Tells subscribers what changed after it was committed. Bursts are coalesced per batch: the first change
/// in a quiet batch goes out at once, later ones are merged and go out together at most once per
/// <see cref="Window"/>. A change of status (pause, completion, …) always goes out at once, and so does a change
/// of the finished count when the previous delivery carried only item progress — so a progress bar moves
/// without waiting for the window, and a steady stream of finished items still makes one delivery per window.
/// So 5,000 item changes a second become about ten deliveries a second per subscriber.
/// <para>
/// Callbacks run on the publisher's thread, in order per batch, and must not block: hand the work to your
/// own dispatcher (a Blazor component's <c>InvokeAsync</c>, a SignalR <c>SendAsync</c>).
/// </para>
/// </summary>
public sealed class BatchEvents
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Pending> _pending = [];
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private Subscription[] _subscribers = [];

    public BatchEvents(TimeProvider time, ILogger<BatchEvents>? logger = null, TimeSpan? window = null)
    {
        _time = time;
        _logger = logger ?? NullLogger<BatchEvents>.Instance;
        Window = window ?? TimeSpan.FromMilliseconds(100);
    }

    public TimeSpan Window { get; }

    /// <summary>Live subscriptions; a page that leaks them shows up here.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Follows one batch.</summary>
    public IDisposable Subscribe(Guid batchId, Func<BatchChange, Task> callback) => Add(new Subscription(this, batchId, callback));

    /// <summary>Follows every batch (lists, the dashboard, toasts).</summary>
    public IDisposable SubscribeAll(Func<BatchChange, Task> callback) => Add(new Subscription(this, null, callback));

    /// <summary>
    /// Raised for every change this node committed, before coalescing (the relay to other nodes listens); not for the
    /// changes other nodes announced. Handlers run on the publisher's thread and must not block.
    /// </summary>
    public event Action<BatchChange>? PublishedHere;

    /// <summary>Announces a committed change. Call only after the transaction that made it has committed.</summary>
    public void Publish(BatchChange change)
    {
        Deliver(change);
        PublishedHere?.Invoke(change);
    }

    /// <summary>Announces a change another node committed (re-read here): subscribers hear it as any other, the relay does not send it back.</summary>
    public void PublishFromOtherNode(BatchChange change) => Deliver(change);

    private void Deliver(BatchChange change)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(change.BatchId, out var pending))
                _pending[change.BatchId] = pending = new Pending(change.BatchId);
            var statusChanged = pending.Merge(change);
            if (statusChanged || change.Deleted || pending.CountsMoveAfterProgress)
            {
                Flush(pending);
                return;
            }
            if (pending.TimerArmed) return;
            var sinceLast = _time.GetElapsedTime(pending.LastDelivery);
            if (pending.LastDelivery == 0 || sinceLast >= Window)
            {
                Flush(pending);
            }
            else
            {
                pending.TimerArmed = true;
                pending.Timer ??= _time.CreateTimer(_ => OnTimer(pending), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                pending.Timer.Change(Window - sinceLast, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void OnTimer(Pending pending)
    {
        lock (_gate)
        {
            pending.TimerArmed = false;
            Flush(pending);
        }
    }

    private void Flush(Pending pending)
    {
        var change = pending.Take();
        pending.LastDelivery = _time.GetTimestamp();
        if (change is null) return;
        if (change.Deleted || change.Batch?.Status.IsFinished() == true)
        {
            // Nothing more is coming for a finished batch until someone acts on it: forget it.
            pending.Timer?.Dispose();
            pending.TimerArmed = false;
            _pending.Remove(pending.BatchId);
        }
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            if (subscriber.BatchId is { } id && id != change.BatchId) continue;
            try
            {
                var task = subscriber.Callback(change);
                if (!task.IsCompletedSuccessfully)
                    task.ContinueWith(t => _logger.LogWarning(t.Exception, "A subscriber failed to take a batch change."),
                        CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "A subscriber failed to take a batch change.");
            }
        }
    }

    private IDisposable Add(Subscription subscription)
    {
        lock (_gate) _subscribers = [.. _subscribers, subscription];
        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate) _subscribers = _subscribers.Where(s => !ReferenceEquals(s, subscription)).ToArray();
    }

    private sealed class Subscription(BatchEvents owner, Guid? batchId, Func<BatchChange, Task> callback) : IDisposable
    {
        private int _disposed;

        public Guid? BatchId { get; } = batchId;

        public Func<BatchChange, Task> Callback { get; } = callback;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Remove(this);
        }
    }

    /// <summary>What has not been delivered yet for one batch.</summary>
    private sealed class Pending(Guid batchId)
    {
        private readonly SortedDictionary<int, Views.ItemView> _items = [];
        private readonly List<Views.LogLineView> _logs = [];
        private Views.BatchView? _batch;
        private bool _deleted;
        private bool _itemsReset;
        private Domain.BatchStatus? _lastStatus;
        private Domain.BatchStatus? _deliveredStatus;
        private int? _deliveredFinished;
        private bool _lastDeliveryMovedCounts;

        public Guid BatchId { get; } = batchId;
        public long LastDelivery { get; set; }
        public bool TimerArmed { get; set; }
        public ITimer? Timer { get; set; }

        /// <summary>The finished count moved since the last delivery, and that delivery carried only progress.</summary>
        public bool CountsMoveAfterProgress =>
            _batch is { } b && _deliveredFinished is { } delivered && b.Finished != delivered && !_lastDeliveryMovedCounts;

        /// <summary>Adds a change; true when it moves the batch to a new status.</summary>
        public bool Merge(BatchChange change)
        {
            var statusChanged = false;
            if (change.Batch is { } batch)
            {
                statusChanged = _lastStatus is { } last && last != batch.Status;
                _lastStatus = batch.Status;
                _batch = batch;
            }
            foreach (var item in change.Items) _items[item.Index] = item;
            _logs.AddRange(change.Logs);
            _deleted |= change.Deleted;
            _itemsReset |= change.ItemsReset;
            return statusChanged;
        }

        public BatchChange? Take()
        {
            if (_batch is null && _items.Count == 0 && _logs.Count == 0 && !_deleted && !_itemsReset) return null;
            var moved = _batch is { } b && (b.Finished != _deliveredFinished || b.Status != _deliveredStatus);
            if (_batch is { } delivered)
            {
                _deliveredFinished = delivered.Finished;
                _deliveredStatus = delivered.Status;
                _lastDeliveryMovedCounts = moved;
            }
            var change = new BatchChange(BatchId, _deleted ? null : _batch, [.. _items.Values], [.. _logs])
            {
                Deleted = _deleted,
                ItemsReset = _itemsReset,
                CountsMoved = moved,
            };
            _batch = null;
            _items.Clear();
            _logs.Clear();
            _deleted = false;
            _itemsReset = false;
            return change;
        }
    }
}
