using System.Text.Json;
using System.Threading.Channels;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Events;
using BatchMonitor.Core.Services;
using BatchMonitor.Core.Views;
using BatchMonitor.Web.Endpoints.Infrastructure;
using BatchMonitor.Web.Hubs;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BatchMonitor.Web.Endpoints;

/// <summary>
/// <c>GET /api/v1/batches/{id}/events</c>: Server-Sent Events for <c>curl -N</c> and <c>EventSource</c>. It starts
/// with the current state (<c>batchChanged</c>, the running items, the last log lines), then sends the hub's events
/// for this batch as they happen (same names, payloads and caps), and a comment every 15 s so proxies keep it open.
/// The stream ends after the batch reaches a final status (or is deleted): a script can wait on it.
/// </summary>
public static class BatchEventStreamEndpoints
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private const int InitialItems = 100;
    private const int InitialLogs = 20;

    public static void MapBatchEventStream(this RouteGroupBuilder batches) =>
        batches.MapGet("/{id:guid}/events", StreamAsync).WithName("StreamBatchEvents")
            .WithSummary("Live events of one batch (text/event-stream)")
            .WithDescription("Events: batchChanged (Batch), itemChanged ({batchId, item}), logAppended ({batchId, line}), " +
                             "itemsReset ({batchId}: re-read the items), batchDeleted ({batchId}). Ends when the batch is finished.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");

    private static async Task<Results<EventStream, ProblemHttpResult>> StreamAsync(Guid id, BatchService service, CancellationToken ct) =>
        await service.GetAsync(id, ct) is null ? ApiProblems.NotFound() : new EventStream(id);

    /// <summary>Subscribes first, then reads the state, so no change between the two is missed.</summary>
    public sealed class EventStream(Guid batchId) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var ct = http.RequestAborted;
            var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var service = http.RequestServices.GetRequiredService<BatchService>();
            var clock = http.RequestServices.GetRequiredService<TimeProvider>();
            var changes = Channel.CreateBounded<BatchChange>(new BoundedChannelOptions(1000)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
            });
            using var subscription = http.RequestServices.GetRequiredService<BatchEvents>()
                .Subscribe(batchId, change => { changes.Writer.TryWrite(change); return Task.CompletedTask; });

            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            var writer = new SseWriter(http.Response, json);

            try
            {
                var batch = await service.GetAsync(batchId, ct);
                if (batch is null)
                {
                    await writer.WriteAsync(new LiveMessage(LiveMessages.BatchDeleted, new BatchNoticeMessage(batchId)), ct);
                    return;
                }
                await WriteCurrentStateAsync(writer, service, batch, ct);
                if (batch.Status.IsFinished()) return;

                while (true)
                {
                    using var quiet = new CancellationTokenSource(Heartbeat, clock);
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, quiet.Token);
                    try
                    {
                        await changes.Reader.WaitToReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        await writer.CommentAsync("heartbeat", ct);
                        continue;
                    }
                    while (changes.Reader.TryRead(out var change))
                    {
                        foreach (var message in LiveMessages.From(change)) await writer.WriteAsync(message, ct);
                        await writer.FlushAsync(ct);
                        if (LiveMessages.IsFinal(change)) return;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The client went away.
            }
        }

        private async Task WriteCurrentStateAsync(SseWriter writer, BatchService service, BatchView batch, CancellationToken ct)
        {
            await writer.WriteAsync(new LiveMessage(LiveMessages.BatchChanged, batch), ct);
            if (batch.Running > 0 && await service.ItemsAsync(batchId, new ItemQuery { Statuses = [ItemStatus.Running], Limit = InitialItems }, ct) is { } running)
            {
                foreach (var item in running.Items)
                    await writer.WriteAsync(new LiveMessage(LiveMessages.ItemChanged, new ItemChangedMessage(batchId, item)), ct);
            }
            foreach (var line in await service.LogsAsync(batchId, 0, InitialLogs, tail: true, ct) ?? [])
                await writer.WriteAsync(new LiveMessage(LiveMessages.LogAppended, new LogAppendedMessage(batchId, line)), ct);
            await writer.FlushAsync(ct);
        }
    }

    /// <summary>Writes <c>event:</c>/<c>data:</c> records (one line of compact JSON each) and comments.</summary>
    private sealed class SseWriter(HttpResponse response, JsonSerializerOptions json)
    {
        public async Task WriteAsync(LiveMessage message, CancellationToken ct)
        {
            var data = JsonSerializer.Serialize(message.Payload, message.Payload.GetType(), json);
            await response.WriteAsync($"event: {message.Name}\ndata: {data}\n\n", ct);
        }

        public async Task CommentAsync(string text, CancellationToken ct)
        {
            await response.WriteAsync($": {text}\n\n", ct);
            await FlushAsync(ct);
        }

        public Task FlushAsync(CancellationToken ct) => response.Body.FlushAsync(ct);
    }
}
