using System.Text.Json.Nodes;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth.ApiKeys;

namespace BatchMonitor.Tests.Web.Hubs;

/// <summary>The hub over a real WebSocket with the JSON protocol: groups per batch, SubscribeAll, and the same sign-in as the API.</summary>
public class BatchHubTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    private Task<SignalRJsonClient> ConnectAsync(string key) =>
        SignalRJsonClient.ConnectAsync(app.Server, "/hubs/batches", r => r.Headers.Add(ApiKeyFormat.Header, key));

    [Fact]
    public async Task A_client_subscribed_to_one_batch_gets_its_events_and_none_of_another_batch()
    {
        var slow = new { minMs = 60, maxMs = 60, failureRate = 0, steps = 2 };
        var mine = await app.CreateBatchAsync(new { name = "mine", handler = "demo", items = Keys("m", 8), args = slow, options = new { concurrency = 2 } });
        await using var one = await ConnectAsync(app.ViewerKey);
        var state = await one.InvokeAsync("Subscribe", mine.Id);
        Assert.Equal(mine.Id.ToString(), (string?)state!["id"]);

        var other = await app.CreateBatchAsync(new { name = "other", handler = "demo", items = Keys("o", 8), args = slow, options = new { concurrency = 2 } });
        await Wait.UntilAsync(() => Finished(one, mine.Id), "the subscriber to see its batch complete");
        await app.WaitForStatusAsync(other.Id, "completed");

        Assert.NotEmpty(one.ArgumentsOf("itemChanged"));
        Assert.NotEmpty(one.ArgumentsOf("batchChanged"));
        Assert.All(one.Received, message => Assert.Equal(mine.Id, BatchIdOf(message.Target, message.Arguments)));
    }

    [Fact]
    public async Task SubscribeAll_gets_every_batch_once_and_Unsubscribe_stops_a_batch()
    {
        await using var all = await ConnectAsync(BatchMonitorApp.AdminKey);
        await using var single = await ConnectAsync(BatchMonitorApp.AdminKey);
        await using var quitter = await ConnectAsync(BatchMonitorApp.AdminKey);
        var gate = await app.CreateBatchAsync(new { handler = "gate", items = new[] { "g1", "g2" } });
        await app.WaitForStatusAsync(gate.Id, "running");
        await single.InvokeAsync("Subscribe", gate.Id);
        await quitter.InvokeAsync("Subscribe", gate.Id);
        await all.InvokeAsync("Subscribe", gate.Id);
        await all.InvokeAsync("SubscribeAll");
        await all.InvokeAsync("Subscribe", gate.Id);
        await quitter.InvokeAsync("Unsubscribe", gate.Id);

        var quick = await app.CreateBatchAsync(new { handler = "demo", items = new[] { "q" }, args = new { minMs = 0, maxMs = 0, failureRate = 0 } });
        await Wait.UntilAsync(() => Finished(all, quick.Id), "SubscribeAll to see the other batch complete");
        await app.Admin().PostAsync($"/api/v1/batches/{gate.Id}/cancel", null);
        await Wait.UntilAsync(() => Finished(all, gate.Id) && Finished(single, gate.Id), "both subscribers to see the cancelled batch");
        await app.WaitForStatusAsync(gate.Id, "cancelled");

        // In the batch's group and in "all": the same events of the cancellation as a client only in the batch's group, not twice as many.
        // (Waited for, since the engine may announce the cancelled items in a second delivery.)
        await Wait.UntilAsync(() => CountCancelled(all, gate.Id) > 0 && CountCancelled(single, gate.Id) == CountCancelled(all, gate.Id),
            $"the same cancellation events in both: {CountCancelled(single, gate.Id)} and {CountCancelled(all, gate.Id)}", TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(single.Received, m => BatchIdOf(m.Target, m.Arguments) == quick.Id);
        // Unsubscribed before the cancel: it may have had the batch's earlier events, never the cancellation.
        Assert.DoesNotContain(quitter.Received, m => m.Target == "batchChanged" && (string?)m.Arguments[0]!["status"] == "cancelled");
    }

    /// <summary>Events sent after the cancel, when every subscription was in place.</summary>
    private static int CountCancelled(SignalRJsonClient client, Guid batchId) =>
        client.Received.Count(m => BatchIdOf(m.Target, m.Arguments) == batchId
                                   && ((string?)m.Arguments[0]!["status"] ?? (string?)m.Arguments[0]!["item"]?["status"]) == "cancelled");

    [Fact]
    public async Task Subscribing_to_an_unknown_batch_fails_and_anonymous_clients_cannot_connect()
    {
        await using var client = await ConnectAsync(app.ViewerKey);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.InvokeAsync("Subscribe", Guid.NewGuid()));
        Assert.Contains("No batch", error.Message);

        await Assert.ThrowsAnyAsync<Exception>(() => SignalRJsonClient.ConnectAsync(app.Server, "/hubs/batches"));
        await Assert.ThrowsAnyAsync<Exception>(() =>
            SignalRJsonClient.ConnectAsync(app.Server, "/hubs/batches", r => r.Headers.Add(ApiKeyFormat.Header, "not-a-valid-key-at-all")));
    }

    [Fact]
    public async Task Deleting_a_batch_tells_its_subscribers()
    {
        var batch = await app.CreateBatchAsync(new { handler = "demo", items = new[] { "d" }, args = new { minMs = 0, maxMs = 0, failureRate = 0 } });
        await app.WaitForStatusAsync(batch.Id, "completed");
        await using var client = await ConnectAsync(app.ViewerKey);
        await client.InvokeAsync("Subscribe", batch.Id);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await app.Admin().DeleteAsync($"/api/v1/batches/{batch.Id}")).StatusCode);

        await Wait.UntilAsync(() => client.ArgumentsOf("batchDeleted").Any(a => (string?)a[0]!["batchId"] == batch.Id.ToString()),
            "the subscriber to hear of the deletion");
    }

    private static bool Finished(SignalRJsonClient client, Guid batchId) =>
        client.ArgumentsOf("batchChanged").Any(a => (string?)a[0]!["id"] == batchId.ToString()
                                                    && (string?)a[0]!["status"] is "completed" or "cancelled");

    private static Guid BatchIdOf(string target, JsonArray arguments) => target == "batchChanged"
        ? Guid.Parse((string)arguments[0]!["id"]!)
        : Guid.Parse((string)arguments[0]!["batchId"]!);

    private static string[] Keys(string prefix, int count) => Enumerable.Range(1, count).Select(i => $"{prefix}{i}").ToArray();
}
