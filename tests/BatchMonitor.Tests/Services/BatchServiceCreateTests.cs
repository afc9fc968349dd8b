using System.Text.Json;
using System.Text.Json.Nodes;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Json;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Services;

public class BatchServiceCreateTests
{
    /// <summary>The provider these tests run on: SQLite here, PostgreSQL in BatchServiceCreateTestsOnPostgres.</summary>
    protected virtual TestStore Store => TestStore.Sqlite;

    public static TheoryData<string, Func<CreateBatchRequest, CreateBatchRequest>> BadRequests() => new()
    {
        { "handler", r => r with { Handler = null } },
        { "handler", r => r with { Handler = "nope" } },
        { "items", r => r with { Items = [] } },
        { "items", r => r with { Items = null } },
        { "items[1]", r => r with { Items = [new("a"), new("")] } },
        { "items[0]", r => r with { Items = [new("   ")] } },
        { "items[0]", r => r with { Items = [new(new string('x', 1001))] } },
        { "items[0]", r => r with { Items = [new("line\nbreak")] } },
        { "items[0]", r => r with { Items = [new("k", new string('g', 201))] } },
        { "items", r => r with { Items = [new("same"), new("same")] } },
        { "name", r => r with { Name = new string('n', 201) } },
        { "name", r => r with { Name = "collect\u202Eegap" } },
        { "name", r => r with { Name = "collect\0" } },
        { "items[0]", r => r with { Items = [new("a\u2066b")] } },
        { "items[0]", r => r with { Items = [new("k", "siel\nluna")] } },
        { "options.exclusiveKey", r => r with { Options = new OptionsInput { ExclusiveKey = "held\u2069" } } },
        { "options.concurrency", r => r with { Options = new OptionsInput { Concurrency = 0 } } },
        { "options.concurrency", r => r with { Options = new OptionsInput { Concurrency = 65 } } },
        { "options.ratePerSecond", r => r with { Options = new OptionsInput { RatePerSecond = 0 } } },
        { "options.ratePerSecond", r => r with { Options = new OptionsInput { RatePerSecond = double.PositiveInfinity } } },
        { "options.ratePerSecond", r => r with { Options = new OptionsInput { RatePerSecond = 1e-7 } } },
        { "options.ratePerSecond", r => r with { Options = new OptionsInput { RatePerSecond = 1e-9 } } },
        { "options.delayBetweenItemsMs", r => r with { Options = new OptionsInput { DelayBetweenItemsMs = -1 } } },
        { "options.maxAttempts", r => r with { Options = new OptionsInput { MaxAttempts = 0 } } },
        { "options.retryBaseDelayMs", r => r with { Options = new OptionsInput { RetryBaseDelayMs = -5 } } },
        { "options.itemTimeoutMs", r => r with { Options = new OptionsInput { ItemTimeoutMs = 0 } } },
        { "options.maxRunMs", r => r with { Options = new OptionsInput { MaxRunMs = 10 } } },
        { "options.priority", r => r with { Options = new OptionsInput { Priority = 100_000 } } },
        { "options.exclusiveKey", r => r with { Options = new OptionsInput { ExclusiveKey = new string('k', 201) } } },
        { "options.failGroupAfter", r => r with { Options = new OptionsInput { FailGroupAfter = 0 } } },
        { "options.onConflict", r => r with { Options = new OptionsInput { OnConflict = (ConflictPolicy)7 } } },
        { "args.minMs", r => r with { Args = new JsonObject { ["minMs"] = "soon" } } },
        { "args.unknown", r => r with { Args = new JsonObject { ["unknown"] = 1 } } },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_names_the_field_and_stores_nothing(string field, Func<CreateBatchRequest, CreateBatchRequest> spoil)
    {
        await using var h = await Store.HarnessAsync(start: false);
        var good = new CreateBatchRequest { Handler = "demo", Items = [new("a"), new("b")] };

        var result = await h.Batches.CreateAsync(spoil(good), Actor.Admin("t"));

        Assert.False(result.IsOk);
        Assert.NotEmpty(result.Errors!.For(field));
        Assert.Equal(0, (await h.Batches.ListAsync(new BatchListQuery())).Total);
    }

    [Fact]
    public async Task More_than_a_million_items_are_refused_with_the_count()
    {
        await using var h = await Store.HarnessAsync(start: false);
        var items = Enumerable.Range(0, 1_000_001).Select(i => new ItemInput(i.ToString())).ToList();

        var result = await h.Batches.CreateAsync(new CreateBatchRequest { Handler = "demo", Items = items }, Actor.Admin("t"));

        Assert.Equal(["At most 1,000,000 items fit; this has 1,000,001."], result.Errors!.For("items"));
    }

    [Fact]
    public async Task Script_and_sql_keys_are_stored_and_read_back_verbatim()
    {
        await using var h = await Store.HarnessAsync(start: false);
        string[] keys = ["<script>alert(1)</script>", "'; DROP TABLE batches; --", "Robert'); --", "%_\\", "한글 키"];

        var batch = await h.CreateAsync(keys.Length, item: i => new ItemInput(keys[i]));

        Assert.Equal(keys, (await h.ItemsAsync(batch.Id)).Select(i => i.Key));
        var found = await h.Batches.ItemsAsync(batch.Id, new ItemQuery { Text = "%_\\" });
        Assert.Equal(["%_\\"], found!.Items.Select(i => i.Key));
    }

    [Fact]
    public async Task A_valid_request_is_stored_queued_with_defaults_and_a_name()
    {
        await using var h = await Store.HarnessAsync(start: false);

        var result = await h.Batches.CreateAsync(new CreateBatchRequest
        {
            Handler = "demo",
            Items = [new("alice"), new("bob", "siel", JsonNode.Parse("""{"tier":2}"""))],
            Args = new JsonObject { ["maxMs"] = 300 },
        }, Actor.Admin("ops@example.com"));

        var batch = result.Batch!;
        Assert.Equal(BatchStatus.Queued, batch.Status);
        Assert.Equal("demo · 2 items", batch.Name);
        Assert.Equal(2, batch.Total);
        Assert.Equal(2, batch.Pending);
        Assert.Equal("ops@example.com", batch.CreatedBy);
        Assert.Equal(BatchOptions.Defaults, batch.Options);
        Assert.Equal(300, batch.Args["maxMs"]!.GetValue<int>());
        Assert.Equal(200, batch.Args["minMs"]!.GetValue<int>());
        var bob = (await h.ItemsAsync(batch.Id))[1];
        Assert.Equal(("siel", 1), (bob.Group, bob.Index));
        Assert.Equal("""{"tier":2}""", bob.PayloadJson);
    }

    [Fact]
    public void Items_read_from_json_as_strings_or_objects()
    {
        var request = JsonSerializer.Deserialize<CreateBatchRequest>("""
            {"handler":"demo","items":["alice",{"key":"carol","group":"siel","payload":{"any":"json"}}],
             "options":{"onConflict":"reject","publishResults":"onSuccess"}}
            """, JsonDefaults.Options)!;

        Assert.Equal(new ItemInput("alice"), request.Items![0]);
        Assert.Equal(("carol", "siel"), (request.Items[1].Key, request.Items[1].Group));
        Assert.Equal("json", request.Items[1].Payload!["any"]!.GetValue<string>());
        Assert.Equal(ConflictPolicy.Reject, request.Options!.OnConflict);
        Assert.Equal(PublishPolicy.OnSuccess, request.Options.PublishResults);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CreateBatchRequest>("""{"items":[42]}""", JsonDefaults.Options));
    }

    [Fact]
    public void A_batch_serializes_with_the_api_words()
    {
        var json = JsonSerializer.Serialize(new BatchMonitor.Core.Views.BatchView
        {
            Id = Guid.Empty, Name = "n", Handler = "demo", Status = BatchStatus.TimedOut,
            Options = BatchOptions.Defaults with { PublishResults = PublishPolicy.OnSuccess },
            Args = new JsonObject(), CreatedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
        }, JsonDefaults.Options);

        Assert.Contains("\"status\":\"timed_out\"", json);
        Assert.Contains("\"onConflict\":\"queue\"", json);
        Assert.Contains("\"publishResults\":\"onSuccess\"", json);
        Assert.Contains("\"createdAt\":\"2026-01-02T03:04:05Z\"", json);
        Assert.DoesNotContain("\"finished\"", json);
    }
}
