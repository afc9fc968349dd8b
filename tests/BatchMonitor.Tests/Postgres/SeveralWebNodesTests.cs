using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BatchMonitor.Core.Views;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth;
using BatchMonitor.Web.Auth.ApiKeys;
using BatchMonitor.Web.Auth.Users;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Postgres;

/// <summary>
/// The whole app twice on one PostgreSQL database, as two nodes: node-a runs the batches, node-b serves pages and the
/// API only. A script following a batch on node-b sees every change of the items node-a runs, to the end; a key revoked
/// or an owner demoted or disabled on one node counts on the other from its next request.
/// </summary>
public sealed class SeveralWebNodesTests
{
    private static BatchMonitorApp Node(TestDatabase database, string name, bool runsBatches) =>
        BatchMonitorApp.With(new Dictionary<string, string?>(database.Settings)
        {
            ["BatchMonitor:Node:Name"] = name,
            ["BatchMonitor:Engine:RunsBatches"] = runsBatches ? "true" : "false",
        });

    [Fact]
    public async Task An_event_stream_on_one_node_follows_a_batch_whose_items_another_node_runs()
    {
        await using var database = await TestStore.Postgres.CreateDatabaseAsync();
        await using var a = Node(database, "node-a", runsBatches: true);
        await a.InitializeAsync();
        await using var b = Node(database, "node-b", runsBatches: false);
        await b.InitializeAsync();
        using var onA = a.Admin();
        using var onB = b.Admin();

        var created = await onA.PostAsJsonAsync("/api/v1/batches", new
        {
            name = "run on node-a, followed on node-b",
            handler = "demo",
            items = Enumerable.Range(1, 40).Select(i => $"account-{i}").ToArray(),
            args = new { minMs = 150, maxMs = 150, failureRate = 0, steps = 1 },
            options = new { concurrency = 4 },
        });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var batch = (await created.Content.ReadFromJsonAsync<BatchView>(BatchMonitorApp.Json))!;

        // Items of 150 ms, 4 at once: about 1.5 s of changes for node-b to follow, on a loaded machine too.
        using var stream = await onB.GetAsync($"/api/v1/batches/{batch.Id}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        var events = new List<ServerSentEvent>();
        // node-b's stream ends when it hears the batch finish: it hears that only from node-a.
        await Wait.ForAsync(Task.Run(async () =>
        {
            await foreach (var e in ServerSentEvents.ReadAsync(await stream.Content.ReadAsStreamAsync())) events.Add(e);
        }), "node-b's event stream to end with the batch", Wait.Limit * 3);

        var changes = events.Where(e => e.Name == "batchChanged")
            .Select(e => JsonSerializer.Deserialize<BatchView>(e.Data, BatchMonitorApp.Json)!).ToList();
        Assert.True(changes.Count > 2, $"node-b streamed the batch as it went ({changes.Count} batch events)");
        // After the stream's first state, the counts only grow. (That first state is read as the stream opens; a change
        // node-b had re-read just before may still arrive after it, one step behind: both are left out.)
        Assert.Equal(changes.Skip(2).Select(c => c.Finished).Order(), changes.Skip(2).Select(c => c.Finished));
        Assert.Equal(("completed", 40), (Core.Domain.StatusNames.Name(changes[^1].Status), changes[^1].Succeeded));
        var succeeded = events.Where(e => e.Name == "itemChanged")
            .Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("item"))
            .Where(i => i.GetProperty("status").GetString() == "succeeded")
            .Select(i => i.GetProperty("key").GetString()).ToHashSet();
        Assert.NotEmpty(succeeded);

        // node-a ran them: node-b runs nothing, and the nodes list says who is up.
        var nodes = await onB.GetFromJsonAsync<JsonElement>("/api/v1/nodes");
        Assert.Equal(["node-a"], nodes.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_key_revoked_or_its_owner_demoted_or_disabled_on_one_node_counts_on_the_other_from_the_next_request()
    {
        await using var database = await TestStore.Postgres.CreateDatabaseAsync();
        await using var a = Node(database, "node-a", runsBatches: false);
        await a.InitializeAsync();
        await using var b = Node(database, "node-b", runsBatches: false);
        await b.InitializeAsync();
        using var onA = a.Admin();

        async Task<(string Key, Guid Id)> KeyAsync(HttpClient by, string name)
        {
            var created = await (await by.PostAsJsonAsync("/api/v1/api-keys", new { name, role = "admin" })).Content.ReadFromJsonAsync<JsonElement>();
            return (created.GetProperty("key").GetString()!, created.GetProperty("info").GetProperty("id").GetGuid());
        }

        var revoked = await KeyAsync(onA, "revoked on node-a");
        using var revokedOnB = b.WithKey(revoked.Key);
        Assert.Equal(HttpStatusCode.OK, (await revokedOnB.GetAsync("/api/v1/batches")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await revokedOnB.GetAsync("/api/v1/batches")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await onA.DeleteAsync($"/api/v1/api-keys/{revoked.Id}")).StatusCode);
        await (await revokedOnB.GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.Unauthorized);

        var users = a.Services.GetRequiredService<UserDirectory>();
        Assert.True((await users.CreateAsync("owner@test.local", "owner-password-1", Roles.Admin)).IsValid);
        var owner = (await users.ListAsync()).Single(u => u.Email == "owner@test.local");
        var key = (await a.Services.GetRequiredService<ApiKeyService>().CreateAsync("owner's script", Roles.Admin, owner.Id, owner.Email)).Key;
        using var scriptOnB = b.WithKey(key);
        var batch = new { handler = "demo", items = new[] { "a" }, args = new { minMs = 0, maxMs = 0 } };
        Assert.Equal(HttpStatusCode.Accepted, (await scriptOnB.PostAsJsonAsync("/api/v1/batches", batch)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await scriptOnB.PostAsJsonAsync("/api/v1/batches", batch)).StatusCode);

        Assert.Null(await users.SetRoleAsync(owner.Id, Roles.Viewer, null));
        await (await scriptOnB.PostAsJsonAsync("/api/v1/batches", batch)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await scriptOnB.GetAsync("/api/v1/batches")).StatusCode);

        Assert.Null(await users.SetDisabledAsync(owner.Id, true, null));
        await (await scriptOnB.GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
