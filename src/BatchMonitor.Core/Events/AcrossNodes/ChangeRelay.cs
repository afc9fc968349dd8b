using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace BatchMonitor.Core.Events.AcrossNodes;

/// <summary>
/// Tells the other nodes what this node committed. It hears every change as it is published here (after commit),
/// folds a burst into one <see cref="BatchNotice"/> per batch, and sends them together at most once per
/// <see cref="NodeOptions.NoticeWindow"/> (the first change of a quiet moment waits that long at most), in order, on a
/// loop of its own so no committing thread waits for the database. Changes that came from other nodes are not sent back.
/// </summary>
internal sealed class ChangeRelay : IAsyncDisposable
{
    private readonly BatchEvents _batches;
    private readonly ScheduleEvents _schedules;
    private readonly NodeEvents _nodes;
    private readonly PostgresNotifications _channel;
    private readonly NodeIdentity _node;
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly ILogger<ChangeRelay> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Folded> _pending = [];
    private readonly HashSet<Guid> _pendingSchedules = [];
    private readonly Channel<string> _outbox = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private ITimer? _timer;
    private bool _armed;
    private bool _nodesChanged;
    private Task _sender = Task.CompletedTask;
    private long _sent;

    public ChangeRelay(BatchEvents batches, ScheduleEvents schedules, NodeEvents nodes, PostgresNotifications channel, NodeIdentity node,
        NodeOptions options, TimeProvider time, ILogger<ChangeRelay> logger)
    {
        _batches = batches;
        _schedules = schedules;
        _nodes = nodes;
        _channel = channel;
        _node = node;
        _time = time;
        _window = options.NoticeWindow;
        _logger = logger;
    }

    /// <summary>Notices sent since the start.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public void Start()
    {
        _timer = _time.CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _batches.PublishedHere += OnBatch;
        _schedules.ChangedHere += OnSchedule;
        _nodes.ChangedHere += OnNodeBeat;
        _sender = Task.Run(SendAsync);
    }

    private void OnBatch(BatchChange change)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(change.BatchId, out var folded)) _pending[change.BatchId] = folded = new Folded();
            folded.Add(change);
            Arm();
        }
    }

    private void OnSchedule(Guid id)
    {
        lock (_gate)
        {
            _pendingSchedules.Add(id);
            Arm();
        }
    }

    private void OnNodeBeat()
    {
        lock (_gate)
        {
            _nodesChanged = true;
            Arm();
        }
    }

    private void Arm()
    {
        if (_armed || _timer is null) return;
        _armed = true;
        _timer.Change(_window, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Sends what is pending now (the timer's work).</summary>
    internal void Flush()
    {
        List<BatchNotice> batches;
        List<Guid> schedules;
        bool nodesChanged;
        lock (_gate)
        {
            _armed = false;
            nodesChanged = _nodesChanged;
            _nodesChanged = false;
            batches = [.. _pending.Select(p => p.Value.ToNotice(p.Key))];
            schedules = [.. _pendingSchedules];
            _pending.Clear();
            _pendingSchedules.Clear();
        }
        foreach (var payload in ChangeNotice.Split(_node.Name, batches, schedules, nodesChanged)) _outbox.Writer.TryWrite(payload);
    }

    private async Task SendAsync()
    {
        await foreach (var payload in _outbox.Reader.ReadAllAsync())
        {
            try
            {
                await _channel.SendAsync(payload, CancellationToken.None);
                Interlocked.Increment(ref _sent);
            }
            catch (Exception e)
            {
                // The other nodes re-read everything they show when their listening connection comes back, and their
                // heartbeat-driven engine ticks pick up work regardless: a lost notice delays a page, it loses nothing.
                _logger.LogWarning(e, "Could not tell the other nodes about a change; they catch up when they next hear from this node.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _batches.PublishedHere -= OnBatch;
        _schedules.ChangedHere -= OnSchedule;
        _nodes.ChangedHere -= OnNodeBeat;
        if (_timer is not null) await _timer.DisposeAsync();
        Flush();
        _outbox.Writer.TryComplete();
        await _sender;
    }

    /// <summary>One batch's changes folded together until the next send.</summary>
    private sealed class Folded
    {
        private readonly SortedSet<int> _items = [];
        private BatchStatus? _status;
        private bool _reset;
        private bool _deleted;
        private long _logsFrom;
        private long _logsTo;

        public void Add(BatchChange change)
        {
            if (change.Batch is { } batch) _status = batch.Status;
            _deleted |= change.Deleted;
            _reset |= change.ItemsReset;
            if (!_reset)
            {
                foreach (var item in change.Items) _items.Add(item.Index);
                if (_items.Count > BatchNotice.MaxItems)
                {
                    _reset = true;
                    _items.Clear();
                }
            }
            foreach (var line in change.Logs)
            {
                if (_logsFrom == 0 || line.Seq < _logsFrom) _logsFrom = line.Seq;
                if (line.Seq > _logsTo) _logsTo = line.Seq;
            }
        }

        public BatchNotice ToNotice(Guid id) => new(id, _status?.Name(), _reset || _items.Count == 0 ? null : [.. _items], _reset, _deleted,
            _logsFrom, _logsTo);
    }
}
