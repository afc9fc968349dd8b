using System.Net;
using System.Text.Json;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>GET /api/v1/nodes: admins read the nodes on the database, in the list envelope of the other lists; viewers are refused.</summary>
public class NodeEndpointTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    [Fact]
    public async Task An_admin_reads_this_node_with_its_heartbeat_and_what_it_runs_in_the_list_envelope()
    {
        JsonElement list = default;
        // The engine writes its row as it starts, beside the first requests.
        await Wait.UntilAsync(async () =>
        {
            list = JsonDocument.Parse(await app.Admin().GetStringAsync("/api/v1/nodes")).RootElement;
            return list.GetProperty("total").GetInt32() == 1;
        }, "the app's node to be listed");

        Assert.Equal(["items", "total", "limit", "offset"], list.EnumerateObject().Select(p => p.Name));
        Assert.Equal((100, 0), (list.GetProperty("limit").GetInt32(), list.GetProperty("offset").GetInt32()));
        var node = Assert.Single(list.GetProperty("items").EnumerateArray().ToList());
        Assert.Equal(["id", "name", "host", "version", "startedAt", "lastSeenAt", "status", "running", "batches"],
            node.EnumerateObject().Select(p => p.Name));
        Assert.True(Guid.TryParse(node.GetProperty("id").GetString(), out _));
        Assert.Equal(Environment.MachineName, node.GetProperty("host").GetString());
        Assert.StartsWith(Environment.MachineName + "-", node.GetProperty("name").GetString());
        Assert.Equal("up", node.GetProperty("status").GetString());
        Assert.EndsWith("Z", node.GetProperty("lastSeenAt").GetString());
        Assert.Equal(JsonValueKind.Number, node.GetProperty("running").ValueKind);
        Assert.Equal(JsonValueKind.Array, node.GetProperty("batches").ValueKind);
    }

    [Fact]
    public async Task Without_credentials_it_is_401_a_viewer_gets_403_and_a_bad_limit_is_a_field_error()
    {
        await (await app.Anonymous().GetAsync("/api/v1/nodes")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await app.Viewer().GetAsync("/api/v1/nodes")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var problem = await (await app.Admin().GetAsync("/api/v1/nodes?limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["limit"], problem.ErrorFields());
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().GetAsync("/api/v1/nodes?limit=5&offset=0")).StatusCode);
    }
}
