using System.Text.Json.Nodes;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine.Writing;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Json;
using BatchMonitor.Core.Telemetry;

namespace BatchMonitor.Core.Engine.Running;

/// <summary>
/// Runs one attempt of one item and turns what happened into exactly one outcome:
/// succeeded, retry later (with backoff), failed, cancelled, or released (pending again, attempt not counted).
/// The caller gives the outcome to the writer (<see cref="EngineWriter.Record"/>).
/// </summary>
internal sealed class ItemExecutor(EngineWriter writer, TimeProvider time, EngineOptions options, Random random)
{
    private const int MaxResultChars = 1_000_000;

    public async Task<ItemStatus> RunAsync(BatchItem item, BatchRun run)
    {
        // Null unless a listener samples the engine's traces: nothing is allocated for an unobserved item.
        using var activity = EngineMetrics.Traces.StartActivity("item run");
        activity?.SetTag("batchmonitor.handler", run.Owner.Handler);
        activity?.SetTag("batchmonitor.batch_id", item.BatchId.ToString());
        activity?.SetTag("batchmonitor.item_key", item.Key);
        activity?.SetTag("batchmonitor.attempt", item.Attempts);
        using var reporter = new ItemReporter(item, writer, time, options.ProgressInterval);
        // With no item timeout the attempt's token is the batch's own: no token sources of its own per item.
        using var timeout = run.Options.ItemTimeoutMs is { } ms ? new CancellationTokenSource(TimeSpan.FromMilliseconds(ms), time) : null;
        using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(run.Interrupted, timeout.Token);
        var token = linked?.Token ?? run.Interrupted;
        var context = new ItemContext(item.BatchId, item.Index, item.Key, item.Group, ParsePayload(item.PayloadJson),
            item.Attempts, run.Args, time, reporter);

        JsonNode? result = null;
        Exception? error = null;
        try
        {
            // WaitAsync frees the slot even when a handler ignores its token.
            result = await Task.Run(() => run.Handler.HandleAsync(context, token), CancellationToken.None)
                .WaitAsync(token);
        }
        catch (Exception e)
        {
            error = e;
        }
        reporter.Dispose();
        Decide(item, run, result, error, timedOut: timeout is { IsCancellationRequested: true } && !run.Interrupted.IsCancellationRequested);
        if (error is not (null or OperationCanceledException)) item.Explain(error.ToString());
        if (activity is not null)
        {
            activity.SetTag("batchmonitor.outcome", item.NextAttemptAt is null ? item.Status.Name() : "retrying");
            if (item.Status == ItemStatus.Failed) activity.SetStatus(System.Diagnostics.ActivityStatusCode.Error, item.Error);
        }
        return item.Status;
    }

    private void Decide(BatchItem item, BatchRun run, JsonNode? result, Exception? error, bool timedOut)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (error is null)
        {
            var json = result?.ToJsonString(JsonDefaults.Storage);
            if (json is { Length: > MaxResultChars })
                item.Fail(now, $"The result is {json.Length:N0} characters; at most {MaxResultChars:N0} are kept.");
            else
                item.Succeed(now, json);
            return;
        }

        if (run.Interrupted.IsCancellationRequested && run.Reason is { } reason && reason != StopReason.Pause)
        {
            if (reason.CancelsItems()) item.Cancel(now, reason.ItemMessage());
            else item.Release();
            return;
        }

        if (error is BatchFatalException fatal)
        {
            item.Fail(now, fatal.Message);
            run.FatalError ??= fatal.Message;
            return;
        }

        var message = timedOut && error is OperationCanceledException
            ? $"Timed out after {run.Options.ItemTimeoutMs} ms."
            : Describe(error);
        var retryable = error is not ItemFailedException { Retryable: false };
        // The allowance counts from the last "retry failed" (AttemptsSinceRetry); the attempt number never goes back.
        if (retryable && item.AttemptsSinceRetry < run.Options.MaxAttempts)
        {
            var delay = RetryPolicy.NextDelay(item.AttemptsSinceRetry, run.Options.RetryBaseDelayMs, Jitter(), options.RetryJitter);
            item.RetryLater(now, message, now + delay);
            var of = item.AttemptsBeforeRetry == 0
                ? $"Attempt {item.Attempts} of {run.Options.MaxAttempts}"
                : $"Attempt {item.Attempts} ({item.AttemptsSinceRetry} of {run.Options.MaxAttempts} since the retry)";
            writer.Log(item.BatchId, LogLevels.Warning, item.Key, $"{of} failed: {message} Next attempt in {Format(delay)}.");
        }
        else
        {
            item.Fail(now, message);
            writer.Log(item.BatchId, LogLevels.Error, item.Key,
                retryable ? $"Failed after {item.Attempts} attempt(s): {message}" : $"Failed: {message}");
        }
    }

    private double Jitter()
    {
        lock (random) return random.NextDouble() * 2 - 1;
    }

    private static string Describe(Exception e) => e switch
    {
        ItemFailedException => e.Message,
        OperationCanceledException => "The handler gave up (operation cancelled).",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private static string Format(TimeSpan t) =>
        t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.#} min" : t.TotalSeconds >= 1 ? $"{t.TotalSeconds:0.#} s" : $"{t.TotalMilliseconds:0} ms";

    private static JsonNode? ParsePayload(string? json)
    {
        if (json is null) return null;
        try
        {
            return JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(json);
        }
    }
}
