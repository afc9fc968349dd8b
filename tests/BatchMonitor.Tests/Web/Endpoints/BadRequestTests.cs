using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using BatchMonitor.Core.Storage;
using BatchMonitor.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>Shared state of the bad-request tests: a finished batch to aim at, and a running one holding an exclusive key.</summary>
public sealed class BadRequestApp : BatchMonitorApp
{
    public Guid Finished { get; private set; }

    /// <summary>A dataset of 120 rows, key-001 … key-120.</summary>
    public Guid Dataset { get; private set; }

    /// <summary>An hourly schedule to aim PUT, PATCH and the history at.</summary>
    public Guid Schedule { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var dataset = await Admin().PostAsJsonAsync("/api/v1/datasets",
            new { name = "bad requests", items = Enumerable.Range(1, 120).Select(i => $"key-{i:000}") });
        Assert.Equal(HttpStatusCode.Created, dataset.StatusCode);
        Dataset = (await dataset.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        var done = await CreateBatchAsync(new { handler = "demo", items = new[] { "a" }, args = new { minMs = 0, maxMs = 0, failureRate = 0 } });
        await WaitForStatusAsync(done.Id, "completed");
        Finished = done.Id;
        var holder = await CreateBatchAsync(new { handler = "gate", items = new[] { "h" }, options = new { exclusiveKey = "held-key" } });
        await WaitForStatusAsync(holder.Id, "running");
        var schedule = await Admin().PostAsync("/api/v1/schedules", new StringContent(
            """{"name":"target","intervalSeconds":3600,"batch":{"handler":"demo","items":["a"]}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, schedule.StatusCode);
        Schedule = System.Text.Json.JsonDocument.Parse(await schedule.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
    }
}

/// <summary>
/// Requests a script can get wrong, each refused with the right 4xx as problem+json (naming the field when there is
/// one) and nothing stored. Unknown JSON fields are refused: a typo must not start a batch with defaults.
/// </summary>
public sealed class BadRequestTests(BadRequestApp app) : IClassFixture<BadRequestApp>
{
    /// <summary>A bad request: where it goes, what it sends, what must come back.</summary>
    public sealed record Case(HttpMethod Method, string Path, Func<HttpContent?> Body, HttpStatusCode Status, string? Field = null);

    private const string Batches = "/api/v1/batches";
    private const string Datasets = "/api/v1/datasets";
    private const string Dataset = "/api/v1/datasets/{dataset}";
    private static readonly string Key1001 = new('k', 1001);

    private static Func<HttpContent?> Json(string json) => () => new StringContent(json, Encoding.UTF8, "application/json");

    private static Func<HttpContent?> Raw(string text, string? contentType) => () =>
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        return content;
    };

    /// <summary>A body with a Content-Type header sent as written, even one the client would not parse.</summary>
    private static Func<HttpContent?> Typed(string text, string contentType) => () =>
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    };

    private static Case Create(string json, string? field, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        new(HttpMethod.Post, Batches, Json(json), status, field);

    private static Case Post(string path, string json, string? field, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        new(HttpMethod.Post, path, Json(json), status, field);

    /// <summary>A demo batch over the test's dataset with this source.</summary>
    private static Case Over(string source, string? field) =>
        Create("""{"handler":"demo","source":""" + source.Replace("$id", "{dataset}") + "}", field);

    private static Case Rows(string query, string? field) =>
        new(HttpMethod.Get, $"{Dataset}/items?{query}", () => null, HttpStatusCode.BadRequest, field);

    /// <summary>A valid demo batch with one part replaced.</summary>
    private static Case CreateWith(string part, string? field) =>
        Create($$"""{"handler":"demo","items":["a","b"],{{part}}}""", field);

    private const string Schedules = "/api/v1/schedules";

    /// <summary>A valid hourly schedule with one part replaced (or added).</summary>
    private static string Schedule(string part) =>
        $$"""{"name":"s","intervalSeconds":3600,"batch":{"handler":"demo","items":["a"]},{{part}}}""";

    private static Case CreateSchedule(string json, string? field, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        new(HttpMethod.Post, Schedules, Json(json), status, field);

    private static readonly Dictionary<string, Case> All = new()
    {
        // Items
        ["items empty"] = Create("""{"handler":"demo","items":[]}""", "items"),
        ["items missing"] = Create("""{"handler":"demo"}""", "items"),
        ["items null"] = Create("""{"handler":"demo","items":null}""", "items"),
        ["1,000,001 items"] = new(HttpMethod.Post, Batches, () => Many(1_000_001), HttpStatusCode.BadRequest, "items"),
        ["key empty"] = Create("""{"handler":"demo","items":["a",""]}""", "items[1]"),
        ["key blank"] = Create("""{"handler":"demo","items":["   "]}""", "items[0]"),
        ["key of 1,001 characters"] = Create($$"""{"handler":"demo","items":["{{Key1001}}"]}""", "items[0]"),
        ["key with a line break"] = Create("""{"handler":"demo","items":["a\nb"]}""", "items[0]"),
        ["key with a tab"] = Create("""{"handler":"demo","items":["a\tb"]}""", "items[0]"),
        ["key with a NUL"] = Create("""{"handler":"demo","items":["a\u0000b"]}""", "items[0]"),
        ["key with a right-to-left override"] = Create("""{"handler":"demo","items":["invoice\u202Egnp.exe"]}""", "items[0]"),
        ["key with a bidi isolate"] = Create("""{"handler":"demo","items":["a\u2067b"]}""", "items[0]"),
        ["key with half a surrogate pair"] = Create("""{"handler":"demo","items":["a\ud800b"]}""", "items[0]"),
        ["group with a line break"] = Create("""{"handler":"demo","items":[{"key":"a","group":"siel\r\nluna"}]}""", "items[0]"),
        ["group with a NUL"] = Create("""{"handler":"demo","items":[{"key":"a","group":"g\u0000"}]}""", "items[0]"),
        ["group with a right-to-left mark"] = Create("""{"handler":"demo","items":[{"key":"a","group":"\u200Fg"}]}""", "items[0]"),
        ["duplicate keys"] = Create("""{"handler":"demo","items":["same","other","same"]}""", "items"),
        ["item object without key"] = Create("""{"handler":"demo","items":[{"group":"g"}]}""", "items[0]"),
        ["item object with null key"] = Create("""{"handler":"demo","items":[{"key":null}]}""", "items[0]"),
        ["item a number"] = Create("""{"handler":"demo","items":[42]}""", "items[0]"),
        ["item a boolean"] = Create("""{"handler":"demo","items":[true]}""", "items[0]"),
        ["item an array"] = Create("""{"handler":"demo","items":[["a"]]}""", "items[0]"),
        ["item null"] = Create("""{"handler":"demo","items":[null]}""", "items[0]"),
        ["item with an unknown field"] = Create("""{"handler":"demo","items":[{"key":"a","colour":"red"}]}""", "items[0]"),
        ["item key a number"] = Create("""{"handler":"demo","items":[{"key":7}]}""", "items[0]"),
        ["group of 201 characters"] = Create($$$"""{"handler":"demo","items":[{"key":"a","group":"{{{new string('g', 201)}}}"}]}""", "items[0]"),
        ["payload over 64 KiB"] = Create($$$"""{"handler":"demo","items":[{"key":"a","payload":{"text":"{{{new string('p', 70_000)}}}"}}]}""", "items[0]"),
        // Handler and args
        ["handler missing"] = Create("""{"items":["a"]}""", "handler"),
        ["handler empty"] = Create("""{"handler":"","items":["a"]}""", "handler"),
        ["handler unknown"] = Create("""{"handler":"no-such-handler","items":["a"]}""", "handler"),
        ["handler a number"] = Create("""{"handler":5,"items":["a"]}""", "handler"),
        ["args an array"] = CreateWith("\"args\":[1,2]", "args"),
        ["args.minMs a string"] = CreateWith("\"args\":{\"minMs\":\"fast\"}", "args.minMs"),
        ["args.minMs negative"] = CreateWith("\"args\":{\"minMs\":-1}", "args.minMs"),
        ["args.minMs not whole"] = CreateWith("\"args\":{\"minMs\":1.5}", "args.minMs"),
        ["args.failureRate above 1"] = CreateWith("\"args\":{\"failureRate\":2}", "args.failureRate"),
        ["args unknown argument"] = CreateWith("\"args\":{\"colour\":\"red\"}", "args.colour"),
        ["args minMs above maxMs"] = CreateWith("\"args\":{\"minMs\":500,\"maxMs\":100}", "args.maxMs"),
        ["http handler without urlTemplate"] = Create("""{"handler":"http","items":["a"]}""", "args.urlTemplate"),
        // Options
        ["concurrency 0"] = CreateWith("\"options\":{\"concurrency\":0}", "options.concurrency"),
        ["concurrency negative"] = CreateWith("\"options\":{\"concurrency\":-1}", "options.concurrency"),
        ["concurrency absurd"] = CreateWith("\"options\":{\"concurrency\":1000}", "options.concurrency"),
        ["concurrency a string"] = CreateWith("\"options\":{\"concurrency\":\"four\"}", "options.concurrency"),
        ["concurrency overflowing"] = CreateWith("\"options\":{\"concurrency\":1e20}", "options.concurrency"),
        ["concurrency not whole"] = CreateWith("\"options\":{\"concurrency\":1.5}", "options.concurrency"),
        ["maxAttempts 0"] = CreateWith("\"options\":{\"maxAttempts\":0}", "options.maxAttempts"),
        ["maxAttempts 101"] = CreateWith("\"options\":{\"maxAttempts\":101}", "options.maxAttempts"),
        ["retryBaseDelayMs negative"] = CreateWith("\"options\":{\"retryBaseDelayMs\":-5}", "options.retryBaseDelayMs"),
        ["itemTimeoutMs 0"] = CreateWith("\"options\":{\"itemTimeoutMs\":0}", "options.itemTimeoutMs"),
        ["maxRunMs too short"] = CreateWith("\"options\":{\"maxRunMs\":10}", "options.maxRunMs"),
        ["ratePerSecond 0"] = CreateWith("\"options\":{\"ratePerSecond\":0}", "options.ratePerSecond"),
        ["ratePerSecond negative"] = CreateWith("\"options\":{\"ratePerSecond\":-1}", "options.ratePerSecond"),
        ["ratePerSecond absurd"] = CreateWith("\"options\":{\"ratePerSecond\":1e9}", "options.ratePerSecond"),
        ["ratePerSecond one start in 115 days"] = CreateWith("\"options\":{\"ratePerSecond\":1e-7}", "options.ratePerSecond"),
        ["ratePerSecond one start in 31 years"] = CreateWith("\"options\":{\"ratePerSecond\":1e-9}", "options.ratePerSecond"),
        ["ratePerSecond just under the slowest"] = CreateWith("\"options\":{\"ratePerSecond\":0.0009}", "options.ratePerSecond"),
        ["ratePerSecond just over the fastest"] = CreateWith("\"options\":{\"ratePerSecond\":10000.5}", "options.ratePerSecond"),
        ["delayBetweenItemsMs over an hour"] = CreateWith("\"options\":{\"delayBetweenItemsMs\":3600001}", "options.delayBetweenItemsMs"),
        ["retryBaseDelayMs over a day"] = CreateWith("\"options\":{\"retryBaseDelayMs\":86400001}", "options.retryBaseDelayMs"),
        ["itemTimeoutMs over a day"] = CreateWith("\"options\":{\"itemTimeoutMs\":86400001}", "options.itemTimeoutMs"),
        ["maxRunMs over 30 days"] = CreateWith("\"options\":{\"maxRunMs\":2592000001}", "options.maxRunMs"),
        ["maxRunMs overflowing"] = CreateWith("\"options\":{\"maxRunMs\":1e30}", "options.maxRunMs"),
        ["failGroupAfter over a million"] = CreateWith("\"options\":{\"failGroupAfter\":1000001}", "options.failGroupAfter"),
        ["schedule: batch ratePerSecond 1e-9"] = CreateSchedule("""{"name":"s","intervalSeconds":60,"batch":{"handler":"demo","items":["a"],"options":{"ratePerSecond":1e-9}}}""", "batch.options.ratePerSecond"),
        ["delayBetweenItemsMs negative"] = CreateWith("\"options\":{\"delayBetweenItemsMs\":-1}", "options.delayBetweenItemsMs"),
        ["priority too high"] = CreateWith("\"options\":{\"priority\":5000}", "options.priority"),
        ["priority too low"] = CreateWith("\"options\":{\"priority\":-5000}", "options.priority"),
        ["onConflict unknown"] = CreateWith("\"options\":{\"onConflict\":\"maybe\"}", "options.onConflict"),
        ["publishResults unknown"] = CreateWith("\"options\":{\"publishResults\":\"never\"}", "options.publishResults"),
        ["exclusiveKey of 201 characters"] = CreateWith($"\"options\":{{\"exclusiveKey\":\"{new string('x', 201)}\"}}", "options.exclusiveKey"),
        ["exclusiveKey with a line break"] = CreateWith(""" "options":{"exclusiveKey":"list\nother"} """, "options.exclusiveKey"),
        ["exclusiveKey with a bidi override"] = CreateWith(""" "options":{"exclusiveKey":"\u202Dkey"} """, "options.exclusiveKey"),
        ["failGroupAfter 0"] = CreateWith("\"options\":{\"failGroupAfter\":0}", "options.failGroupAfter"),
        ["options a string"] = CreateWith("\"options\":\"fast\"", "options"),
        ["unknown option (typo)"] = CreateWith("\"options\":{\"concurency\":2}", "options.concurency"),
        ["unknown top-level field"] = CreateWith("\"colour\":\"red\"", "colour"),
        ["items and a source together"] = CreateWith("\"source\":{\"datasetId\":\"0195d1a2-0000-7000-8000-000000000001\"}", "source"),
        ["source datasetId not an id"] = Create("""{"handler":"demo","source":{"datasetId":"x"}}""", "source.datasetId"),
        ["source dataset unknown"] = Create("""{"handler":"demo","source":{"datasetId":"0195d1a2-0000-7000-8000-000000000001"}}""", "source.datasetId"),
        ["source without a dataset"] = Create("""{"handler":"demo","source":{"page":2}}""", "source.datasetId"),
        ["source only unknown"] = Create("""{"handler":"demo","source":{"datasetId":"0195d1a2-0000-7000-8000-000000000001","only":"some"}}""", "source.only"),
        ["source page beyond the end"] = Over("""{"datasetId":"$id","page":4,"pageSize":50}""", "source.page"),
        ["source page 0"] = Over("""{"datasetId":"$id","page":0}""", "source.page"),
        ["source pageSize 1001"] = Over("""{"datasetId":"$id","page":1,"pageSize":1001}""", "source.pageSize"),
        ["source pageSize without page"] = Over("""{"datasetId":"$id","pageSize":50}""", "source.page"),
        ["source page a string"] = Over("""{"datasetId":"$id","page":"two"}""", "source.page"),
        ["source keys not in the dataset"] = Over("""{"datasetId":"$id","only":"selected","keys":["key-001","ghost"]}""", "source.keys"),
        ["source keys not on the page"] = Over("""{"datasetId":"$id","page":1,"pageSize":50,"keys":["key-051"]}""", "source.keys"),
        ["source selected without keys"] = Over("""{"datasetId":"$id","only":"selected"}""", "source.keys"),
        ["source keys with only all"] = Over("""{"datasetId":"$id","only":"all","keys":["key-001"]}""", "source.keys"),
        ["source unknown field"] = Over("""{"datasetId":"$id","rows":[1]}""", "source.rows"),
        ["source over a dataset, handler unknown"] = Create("""{"handler":"nope","source":{"datasetId":"{dataset}"}}""", "handler"),
        ["name of 201 characters"] = CreateWith($"\"name\":\"{new string('n', 201)}\"", "name"),
        ["name a number"] = CreateWith("\"name\":12", "name"),
        ["name with a NUL"] = CreateWith(""" "name":"collect\u0000page 2" """, "name"),
        ["name with a line break"] = CreateWith(""" "name":"collect\npage 2" """, "name"),
        ["name with a right-to-left override"] = CreateWith(""" "name":"collect \u202Eegap" """, "name"),
        ["name with a bidi isolate"] = CreateWith(""" "name":"collect \u2066page\u2069" """, "name"),
        ["name with a DEL"] = CreateWith(""" "name":"collect\u007F" """, "name"),
        ["exclusive key held, onConflict reject"] = CreateWith("\"options\":{\"exclusiveKey\":\"held-key\",\"onConflict\":\"reject\"}", null) with { Status = HttpStatusCode.Conflict },
        // The body itself
        ["malformed JSON"] = Create("""{"handler":"demo","items":[""", "body"),
        ["not JSON"] = Create("hello", "body"),
        ["trailing garbage"] = Create("""{"handler":"demo","items":["a"]} x""", "body"),
        ["empty body"] = Create("", "body"),
        ["JSON null"] = Create("null", "body"),
        ["JSON array"] = Create("""["a","b"]""", "body"),
        ["JSON string"] = Create("\"demo\"", "body"),
        ["content type text/plain"] = new(HttpMethod.Post, Batches, Raw("""{"handler":"demo","items":["a"]}""", "text/plain"), HttpStatusCode.UnsupportedMediaType),
        ["no content type"] = new(HttpMethod.Post, Batches, Raw("""{"handler":"demo","items":["a"]}""", null), HttpStatusCode.UnsupportedMediaType),
        ["form instead of JSON"] = new(HttpMethod.Post, Batches, () => new FormUrlEncodedContent([new KeyValuePair<string, string>("handler", "demo")]), HttpStatusCode.UnsupportedMediaType),
        ["XML instead of JSON"] = new(HttpMethod.Post, Batches, Raw("<batch/>", "application/xml"), HttpStatusCode.UnsupportedMediaType),
        ["charset unknown"] = new(HttpMethod.Post, Batches, Typed("""{"handler":"demo","items":["a"]}""", "application/json; charset=bogus"), HttpStatusCode.UnsupportedMediaType),
        ["charset empty"] = new(HttpMethod.Post, Batches, Typed("""{"handler":"demo","items":["a"]}""", "application/json; charset="), HttpStatusCode.UnsupportedMediaType),
        ["charset quoted and unknown"] = new(HttpMethod.Post, Batches, Typed("""{"handler":"demo","items":["a"]}""", "application/json; charset=\"bogus\""), HttpStatusCode.UnsupportedMediaType),
        ["charset utf-7 (not supported)"] = new(HttpMethod.Post, Batches, Typed("""{"handler":"demo","items":["a"]}""", "application/json; charset=utf-7"), HttpStatusCode.UnsupportedMediaType),
        ["charset unknown on a patch"] = new(HttpMethod.Patch, $"{Batches}/{{batch}}", Typed("""{"priority":1}""", "application/json; charset=bogus"), HttpStatusCode.UnsupportedMediaType),
        ["body over the limit (Content-Length)"] = new(HttpMethod.Post, Batches, () => new GeneratedContent(200L * 1024 * 1024, withLength: true), HttpStatusCode.RequestEntityTooLarge),
        ["body over the limit (chunked)"] = new(HttpMethod.Patch, $"{Batches}/{{batch}}", () => new GeneratedContent(2 * 1024 * 1024, withLength: false), HttpStatusCode.RequestEntityTooLarge),
        // Query strings
        ["list: unknown status"] = new(HttpMethod.Get, $"{Batches}?status=bogus", () => null, HttpStatusCode.BadRequest, "status"),
        ["list: unknown orderBy"] = new(HttpMethod.Get, $"{Batches}?orderBy=colour", () => null, HttpStatusCode.BadRequest, "orderBy"),
        ["list: limit 0"] = new(HttpMethod.Get, $"{Batches}?limit=0", () => null, HttpStatusCode.BadRequest, "limit"),
        ["list: limit 501"] = new(HttpMethod.Get, $"{Batches}?limit=501", () => null, HttpStatusCode.BadRequest, "limit"),
        ["list: limit not a number"] = new(HttpMethod.Get, $"{Batches}?limit=abc", () => null, HttpStatusCode.BadRequest, "limit"),
        ["list: offset negative"] = new(HttpMethod.Get, $"{Batches}?offset=-1", () => null, HttpStatusCode.BadRequest, "offset"),
        ["list: offset past a billion"] = new(HttpMethod.Get, $"{Batches}?offset=1000000001", () => null, HttpStatusCode.BadRequest, "offset"),
        ["list: offset at the largest whole number"] = new(HttpMethod.Get, $"{Batches}?offset=2147483647", () => null, HttpStatusCode.BadRequest, "offset"),
        ["list: failures not true or false"] = new(HttpMethod.Get, $"{Batches}?failures=yes", () => null, HttpStatusCode.BadRequest, "failures"),
        ["list: createdAfter not a time"] = new(HttpMethod.Get, $"{Batches}?createdAfter=last-week", () => null, HttpStatusCode.BadRequest, "createdAfter"),
        ["bulk: createdAfter not a time"] = new(HttpMethod.Post, $"{Batches}/bulk?action=cancel&createdAfter=soon", () => null, HttpStatusCode.BadRequest, "createdAfter"),
        ["list: after not a batch id"] = new(HttpMethod.Get, $"{Batches}?after=last", () => null, HttpStatusCode.BadRequest, "after"),
        ["list: after with an order of empty values"] = new(HttpMethod.Get, $"{Batches}?orderBy=finishedAt&after={Guid.Empty}", () => null, HttpStatusCode.BadRequest, "after"),
        ["list: search text of 201 characters"] = new(HttpMethod.Get, $"{Batches}?q={new string('q', 201)}", () => null, HttpStatusCode.BadRequest, "q"),
        ["items: unknown status"] = new(HttpMethod.Get, $"{Batches}/{{batch}}/items?status=nope", () => null, HttpStatusCode.BadRequest, "status"),
        ["items: limit 5000"] = new(HttpMethod.Get, $"{Batches}/{{batch}}/items?limit=5000", () => null, HttpStatusCode.BadRequest, "limit"),
        ["items: offset at the largest whole number"] = new(HttpMethod.Get, $"{Batches}/{{batch}}/items?offset=2147483647", () => null, HttpStatusCode.BadRequest, "offset"),
        ["logs: limit 0"] = new(HttpMethod.Get, $"{Batches}/{{batch}}/logs?limit=0", () => null, HttpStatusCode.BadRequest, "limit"),
        ["logs: afterSeq negative"] = new(HttpMethod.Get, $"{Batches}/{{batch}}/logs?afterSeq=-1", () => null, HttpStatusCode.BadRequest, "afterSeq"),
        ["logs: afterSeq not a number"] = new(HttpMethod.Get, $"{Batches}/{{batch}}/logs?afterSeq=abc", () => null, HttpStatusCode.BadRequest, "afterSeq"),
        ["logs: unknown level"] = new(HttpMethod.Get, $"{Batches}/{{batch}}/logs?level=warning&level=fatal", () => null, HttpStatusCode.BadRequest, "level"),
        ["logs: an item the batch does not have"] = new(HttpMethod.Get, $"{Batches}/{{batch}}/logs?item=no-such-key", () => null, HttpStatusCode.BadRequest, "item"),
        ["logs: search text too long"] = new(HttpMethod.Get, $"{Batches}/{{batch}}/logs?q={new string('x', 201)}", () => null, HttpStatusCode.BadRequest, "q"),
        ["logs download: unknown format"] = new(HttpMethod.Get, $"{Batches}/{{batch}}/logs/download?format=xml", () => null, HttpStatusCode.BadRequest, "format"),
        ["results: unknown format"] = new(HttpMethod.Get, $"{Batches}/{{batch}}/results?format=xml", () => null, HttpStatusCode.BadRequest, "format"),
        ["stats: window not a duration"] = new(HttpMethod.Get, "/api/v1/stats?window=forever", () => null, HttpStatusCode.BadRequest, "window"),
        ["stats: window zero"] = new(HttpMethod.Get, "/api/v1/stats?window=0m", () => null, HttpStatusCode.BadRequest, "window"),
        ["stats: window of 31 days"] = new(HttpMethod.Get, "/api/v1/stats?window=31d", () => null, HttpStatusCode.BadRequest, "window"),
        ["history: window not 1h, 24h or 7d"] = new(HttpMethod.Get, "/api/v1/stats/history?window=2h", () => null, HttpStatusCode.BadRequest, "window"),
        ["history: unknown step"] = new(HttpMethod.Get, "/api/v1/stats/history?window=24h&step=7m", () => null, HttpStatusCode.BadRequest, "step"),
        ["history: step longer than the window"] = new(HttpMethod.Get, "/api/v1/stats/history?window=1h&step=2h", () => null, HttpStatusCode.BadRequest, "step"),
        ["history: more than 1,440 points"] = new(HttpMethod.Get, "/api/v1/stats/history?window=7d&step=1m", () => null, HttpStatusCode.BadRequest, "step"),
        ["history: unknown handler"] = new(HttpMethod.Get, "/api/v1/stats/history?handler=nobody", () => null, HttpStatusCode.BadRequest, "handler"),
        ["history: empty handler"] = new(HttpMethod.Get, "/api/v1/stats/history?handler=", () => null, HttpStatusCode.BadRequest, "handler"),
        // Other bodies
        ["patch: no priority"] = new(HttpMethod.Patch, $"{Batches}/{{batch}}", Json("{}"), HttpStatusCode.BadRequest, "priority"),
        ["patch: priority out of range"] = new(HttpMethod.Patch, $"{Batches}/{{batch}}", Json("""{"priority":5000}"""), HttpStatusCode.BadRequest, "priority"),
        ["patch: priority a string"] = new(HttpMethod.Patch, $"{Batches}/{{batch}}", Json("""{"priority":"high"}"""), HttpStatusCode.BadRequest, "priority"),
        ["patch: unknown field"] = new(HttpMethod.Patch, $"{Batches}/{{batch}}", Json("""{"priority":1,"colour":2}"""), HttpStatusCode.BadRequest, "colour"),
        ["api key: no name"] = new(HttpMethod.Post, "/api/v1/api-keys", Json("{}"), HttpStatusCode.BadRequest, "name"),
        ["api key: empty name"] = new(HttpMethod.Post, "/api/v1/api-keys", Json("""{"name":""}"""), HttpStatusCode.BadRequest, "name"),
        ["api key: name with a bidi override"] = new(HttpMethod.Post, "/api/v1/api-keys", Json("{\"name\":\"deploy\u202Egpj.exe\"}"), HttpStatusCode.BadRequest, "name"),
        ["api key: name of 101 characters"] = new(HttpMethod.Post, "/api/v1/api-keys", Json($$"""{"name":"{{new string('n', 101)}}"}"""), HttpStatusCode.BadRequest, "name"),
        ["api key: unknown role"] = new(HttpMethod.Post, "/api/v1/api-keys", Json("""{"name":"x","role":"root"}"""), HttpStatusCode.BadRequest, "role"),
        // Datasets
        ["dataset: no name"] = Post(Datasets, """{"items":["a"]}""", "name"),
        ["dataset: blank name"] = Post(Datasets, """{"name":"  ","items":["a"]}""", "name"),
        ["dataset: name of 201 characters"] = Post(Datasets, $$"""{"name":"{{new string('n', 201)}}","items":["a"]}""", "name"),
        ["dataset: name a number"] = Post(Datasets, """{"name":5,"items":["a"]}""", "name"),
        ["dataset: name with a NUL"] = Post(Datasets, """{"name":"acc\u0000ounts","items":["a"]}""", "name"),
        ["dataset: name with a line break"] = Post(Datasets, """{"name":"accounts\rmore","items":["a"]}""", "name"),
        ["dataset: name with a bidi override"] = Post(Datasets, """{"name":"\u202Eaccounts","items":["a"]}""", "name"),
        ["dataset: row group with a bidi isolate"] = Post(Datasets, """{"name":"d","items":[{"key":"a","group":"\u2068g"}]}""", "items[0]"),
        ["dataset: key with a bidi override"] = Post(Datasets, """{"name":"d","items":["\u202Ba"]}""", "items[0]"),
        ["dataset: no items"] = Post(Datasets, """{"name":"d"}""", "items"),
        ["dataset: items empty"] = Post(Datasets, """{"name":"d","items":[]}""", "items"),
        ["dataset: duplicate keys"] = Post(Datasets, """{"name":"d","items":["a","b","a"]}""", "items"),
        ["dataset: key empty"] = Post(Datasets, """{"name":"d","items":["a",""]}""", "items[1]"),
        ["dataset: key with a line break"] = Post(Datasets, """{"name":"d","items":["a\nb"]}""", "items[0]"),
        ["dataset: row with an unknown field"] = Post(Datasets, """{"name":"d","items":[{"key":"a","colour":"red"}]}""", "items[0]"),
        ["dataset: row a number"] = Post(Datasets, """{"name":"d","items":[7]}""", "items[0]"),
        ["dataset: unknown field"] = Post(Datasets, """{"name":"d","items":["a"],"colour":"red"}""", "colour"),
        ["dataset: not JSON"] = Post(Datasets, "rows", "body"),
        ["dataset: text/plain"] = new(HttpMethod.Post, Datasets, Raw("""{"name":"d","items":["a"]}""", "text/plain"), HttpStatusCode.UnsupportedMediaType),
        ["dataset: charset unknown"] = new(HttpMethod.Post, Datasets, Typed("""{"name":"d","items":["a"]}""", "application/json; charset=bogus"), HttpStatusCode.UnsupportedMediaType),
        ["dataset: body over the limit"] = new(HttpMethod.Post, Datasets, () => new GeneratedContent(200L * 1024 * 1024, withLength: true), HttpStatusCode.RequestEntityTooLarge),
        ["append: no items"] = Post($"{Dataset}/items", "{}", "items"),
        ["append: a key already in the dataset"] = Post($"{Dataset}/items", """{"items":["new-1","key-007"]}""", "items"),
        ["append: key blank"] = Post($"{Dataset}/items", """{"items":["  "]}""", "items[0]"),
        ["append: unknown field"] = Post($"{Dataset}/items", """{"items":["x"],"name":"y"}""", "name"),
        ["append: unknown dataset"] = Post($"{Datasets}/{Guid.Empty}/items", """{"items":["x"]}""", null, HttpStatusCode.NotFound),
        ["rename: no name"] = new(HttpMethod.Patch, Dataset, Json("{}"), HttpStatusCode.BadRequest, "name"),
        ["rename: name of 201 characters"] = new(HttpMethod.Patch, Dataset, Json($$"""{"name":"{{new string('n', 201)}}"}"""), HttpStatusCode.BadRequest, "name"),
        ["rename: name with a line break"] = new(HttpMethod.Patch, Dataset, Json("""{"name":"new\nname"}"""), HttpStatusCode.BadRequest, "name"),
        ["rename: name with a bidi override"] = new(HttpMethod.Patch, Dataset, Json("""{"name":"new\u202Ename"}"""), HttpStatusCode.BadRequest, "name"),
        ["rename: unknown field"] = new(HttpMethod.Patch, Dataset, Json("""{"name":"x","rows":1}"""), HttpStatusCode.BadRequest, "rows"),
        ["rename: unknown dataset"] = new(HttpMethod.Patch, $"{Datasets}/{Guid.Empty}", Json("""{"name":"x"}"""), HttpStatusCode.NotFound),
        ["rows: page 0"] = Rows("page=0", "page"),
        ["rows: page not a number"] = Rows("page=two", "page"),
        ["rows: pageSize 0"] = Rows("pageSize=0", "pageSize"),
        ["rows: pageSize 1001"] = Rows("pageSize=1001", "pageSize"),
        ["rows: page whose first row overflows"] = Rows("page=2147483647&pageSize=1000", "page"),
        ["rows: page past a billion rows"] = Rows("page=1000002&pageSize=1000", "page"),
        ["rows: page past a billion rows at the default size"] = Rows("page=20000002", "page"),
        ["rows: unknown status"] = Rows("status=done", "status"),
        ["rows: search text of 201 characters"] = Rows($"q={new string('q', 201)}", "q"),
        ["rows: unknown dataset"] = new(HttpMethod.Get, $"{Datasets}/{Guid.Empty}/items", () => null, HttpStatusCode.NotFound),
        ["dataset: unknown id"] = new(HttpMethod.Get, $"{Datasets}/{Guid.Empty}", () => null, HttpStatusCode.NotFound),
        ["dataset: id not a GUID"] = new(HttpMethod.Get, $"{Datasets}/accounts", () => null, HttpStatusCode.NotFound),
        ["delete: unknown dataset"] = new(HttpMethod.Delete, $"{Datasets}/{Guid.Empty}", () => null, HttpStatusCode.NotFound),
        // Schedules
        ["schedule: cron not an expression"] = CreateSchedule("""{"name":"s","cron":"every minute","batch":{"handler":"demo","items":["a"]}}""", "cron"),
        ["schedule: cron second out of range"] = CreateSchedule("""{"name":"s","cron":"61 * * * * ?","batch":{"handler":"demo","items":["a"]}}""", "cron"),
        ["schedule: cron with five fields (no seconds)"] = CreateSchedule("""{"name":"s","cron":"*/10 * * * *","batch":{"handler":"demo","items":["a"]}}""", "cron"),
        ["schedule: cron and interval together"] = CreateSchedule(Schedule("\"cron\":\"0 * * * * ?\""), "intervalSeconds"),
        ["schedule: neither cron nor interval"] = CreateSchedule("""{"name":"s","batch":{"handler":"demo","items":["a"]}}""", "cron"),
        ["schedule: interval 0"] = CreateSchedule("""{"name":"s","intervalSeconds":0,"batch":{"handler":"demo","items":["a"]}}""", "intervalSeconds"),
        ["schedule: interval over a year"] = CreateSchedule("""{"name":"s","intervalSeconds":99999999,"batch":{"handler":"demo","items":["a"]}}""", "intervalSeconds"),
        ["schedule: interval a string"] = CreateSchedule("""{"name":"s","intervalSeconds":"10m","batch":{"handler":"demo","items":["a"]}}""", "intervalSeconds"),
        ["schedule: unknown time zone"] = CreateSchedule(Schedule("\"timeZone\":\"Mars/Olympus\""), "timeZone"),
        ["schedule: no name"] = CreateSchedule("""{"intervalSeconds":60,"batch":{"handler":"demo","items":["a"]}}""", "name"),
        ["schedule: name of 201 characters"] = CreateSchedule($$$"""{"name":"{{{new string('n', 201)}}}","intervalSeconds":60,"batch":{"handler":"demo","items":["a"]}}""", "name"),
        ["schedule: name with a NUL"] = CreateSchedule("""{"name":"r\u0000anking","intervalSeconds":60,"batch":{"handler":"demo","items":["a"]}}""", "name"),
        ["schedule: name with a line break"] = CreateSchedule("""{"name":"ranking\nevery hour","intervalSeconds":60,"batch":{"handler":"demo","items":["a"]}}""", "name"),
        ["schedule: name with a bidi isolate"] = CreateSchedule("""{"name":"\u2066ranking","intervalSeconds":60,"batch":{"handler":"demo","items":["a"]}}""", "name"),
        ["schedule: batch name with a bidi override"] = CreateSchedule("""{"name":"s","intervalSeconds":60,"batch":{"handler":"demo","name":"\u202Eb","items":["a"]}}""", "batch.name"),
        ["schedule: batch exclusiveKey with a line break"] = CreateSchedule("""{"name":"s","intervalSeconds":60,"batch":{"handler":"demo","items":["a"],"options":{"exclusiveKey":"a\nb"}}}""", "batch.options.exclusiveKey"),
        ["schedule: batch group with a NUL"] = CreateSchedule("""{"name":"s","intervalSeconds":60,"batch":{"handler":"demo","items":[{"key":"a","group":"\u0000"}]}}""", "batch.items[0]"),
        ["schedule: no batch"] = CreateSchedule("""{"name":"s","intervalSeconds":60}""", "batch"),
        ["schedule: batch handler unknown"] = CreateSchedule("""{"name":"s","intervalSeconds":60,"batch":{"handler":"nope","items":["a"]}}""", "batch.handler"),
        ["schedule: batch args invalid"] = CreateSchedule("""{"name":"s","intervalSeconds":60,"batch":{"handler":"demo","items":["a"],"args":{"minMs":-1}}}""", "batch.args.minMs"),
        ["schedule: batch without items or source"] = CreateSchedule("""{"name":"s","intervalSeconds":60,"batch":{"handler":"demo"}}""", "batch.items"),
        ["schedule: batch dataset unknown"] = CreateSchedule("""{"name":"s","intervalSeconds":60,"batch":{"handler":"demo","source":{"datasetId":"0195d1a2-0000-7000-8000-000000000001","only":"pending"}}}""", "batch.source.datasetId"),
        ["schedule: batch source only unknown"] = CreateSchedule("""{"name":"s","intervalSeconds":60,"batch":{"handler":"demo","source":{"datasetId":"0195d1a2-0000-7000-8000-000000000001","only":"some"}}}""", "batch.source.only"),
        ["schedule: batch maxRunMs too short"] = CreateSchedule("""{"name":"s","intervalSeconds":60,"batch":{"handler":"demo","items":["a"],"options":{"maxRunMs":10}}}""", "batch.options.maxRunMs"),
        ["schedule: batch option typo"] = CreateSchedule("""{"name":"s","intervalSeconds":60,"batch":{"handler":"demo","items":["a"],"options":{"concurency":2}}}""", "batch.options.concurency"),
        ["schedule: misfirePolicy unknown"] = CreateSchedule(Schedule("\"misfirePolicy\":\"later\""), "misfirePolicy"),
        ["schedule: enabled a string"] = CreateSchedule(Schedule("\"enabled\":\"yes\""), "enabled"),
        ["schedule: unknown field"] = CreateSchedule(Schedule("\"every\":\"10m\""), "every"),
        ["schedule: not JSON"] = CreateSchedule("every ten minutes", "body"),
        ["schedule: charset unknown"] = CreateSchedule(Schedule("\"enabled\":true"), null, HttpStatusCode.UnsupportedMediaType) with { Body = Typed(Schedule("\"enabled\":true"), "application/json; charset=bogus") },
        ["schedule: body over the limit"] = new(HttpMethod.Post, Schedules, () => new GeneratedContent(5L * 1024 * 1024, withLength: true), HttpStatusCode.RequestEntityTooLarge),
        ["schedule put: invalid cron"] = new(HttpMethod.Put, $"{Schedules}/{{schedule}}", Json("""{"name":"s","cron":"0 0 25 * * ?","batch":{"handler":"demo","items":["a"]}}"""), HttpStatusCode.BadRequest, "cron"),
        ["schedule put: no body"] = new(HttpMethod.Put, $"{Schedules}/{{schedule}}", Json(""), HttpStatusCode.BadRequest, "body"),
        ["schedule put: unknown schedule"] = new(HttpMethod.Put, $"{Schedules}/{Guid.Empty}", Json(Schedule("\"enabled\":true")), HttpStatusCode.NotFound),
        ["schedule patch: no enabled"] = new(HttpMethod.Patch, $"{Schedules}/{{schedule}}", Json("{}"), HttpStatusCode.BadRequest, "enabled"),
        ["schedule patch: other fields"] = new(HttpMethod.Patch, $"{Schedules}/{{schedule}}", Json("""{"enabled":false,"name":"x"}"""), HttpStatusCode.BadRequest, "name"),
        ["schedule runs: limit 0"] = new(HttpMethod.Get, $"{Schedules}/{{schedule}}/runs?limit=0", () => null, HttpStatusCode.BadRequest, "limit"),
        ["schedule runs: limit 501"] = new(HttpMethod.Get, $"{Schedules}/{{schedule}}/runs?limit=501", () => null, HttpStatusCode.BadRequest, "limit"),
        ["schedule runs: offset negative"] = new(HttpMethod.Get, $"{Schedules}/{{schedule}}/runs?offset=-1", () => null, HttpStatusCode.BadRequest, "offset"),
        ["schedule runs: offset at the largest whole number"] = new(HttpMethod.Get, $"{Schedules}/{{schedule}}/runs?offset=2147483647", () => null, HttpStatusCode.BadRequest, "offset"),
        ["schedule runs: unknown schedule"] = new(HttpMethod.Get, $"{Schedules}/{Guid.Empty}/runs", () => null, HttpStatusCode.NotFound),
        ["schedule preview: invalid cron"] = new(HttpMethod.Get, $"{Schedules}/preview?cron=bogus", () => null, HttpStatusCode.BadRequest, "cron"),
        ["schedule preview: nothing to preview"] = new(HttpMethod.Get, $"{Schedules}/preview", () => null, HttpStatusCode.BadRequest, "cron"),
        ["schedule preview: unknown time zone"] = new(HttpMethod.Get, $"{Schedules}/preview?intervalSeconds=60&timeZone=Nowhere", () => null, HttpStatusCode.BadRequest, "timeZone"),
        ["schedule preview: count 0"] = new(HttpMethod.Get, $"{Schedules}/preview?intervalSeconds=60&count=0", () => null, HttpStatusCode.BadRequest, "count"),
        ["schedule preview: interval not a number"] = new(HttpMethod.Get, $"{Schedules}/preview?intervalSeconds=often", () => null, HttpStatusCode.BadRequest, "intervalSeconds"),
        ["schedule run: unknown schedule"] = new(HttpMethod.Post, $"{Schedules}/{Guid.Empty}/run", () => null, HttpStatusCode.NotFound),
        ["schedule: id not a GUID"] = new(HttpMethod.Get, $"{Schedules}/every-minute", () => null, HttpStatusCode.NotFound),
        // Addresses and methods
        ["method not allowed"] = new(HttpMethod.Put, Batches, Json("{}"), HttpStatusCode.MethodNotAllowed),
        ["unknown address"] = new(HttpMethod.Get, "/api/v1/nothing-here", () => null, HttpStatusCode.NotFound),
        ["id not a GUID"] = new(HttpMethod.Get, $"{Batches}/not-a-guid", () => null, HttpStatusCode.NotFound),
        ["unknown batch"] = new(HttpMethod.Get, $"{Batches}/{Guid.Empty}/items", () => null, HttpStatusCode.NotFound),
        ["events of an unknown batch"] = new(HttpMethod.Get, $"{Batches}/{Guid.Empty}/events", () => null, HttpStatusCode.NotFound),
        ["results of an unknown batch"] = new(HttpMethod.Get, $"{Batches}/{Guid.Empty}/results?format=csv", () => null, HttpStatusCode.NotFound),
        ["unknown API key"] = new(HttpMethod.Delete, $"/api/v1/api-keys/{Guid.Empty}", () => null, HttpStatusCode.NotFound),
    };

    public static TheoryData<string> Names() => [.. All.Keys];

    [Fact]
    public void There_are_at_least_forty_bad_requests() => Assert.True(All.Count >= 40, $"{All.Count} cases");

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Is_refused_with_a_problem_and_stores_nothing(string name)
    {
        var bad = All[name];
        var before = await StoredAsync();
        var path = bad.Path.Replace("{batch}", app.Finished.ToString()).Replace("{dataset}", app.Dataset.ToString())
            .Replace("{schedule}", app.Schedule.ToString());
        using var request = new HttpRequestMessage(bad.Method, path) { Content = await WithDatasetAsync(bad.Body()) };
        using var response = await app.Admin().SendAsync(request);

        var problem = await response.AssertProblemAsync(bad.Status);
        if (bad.Field is { } field)
            Assert.True(problem.ErrorFields().Contains(field), $"errors should name '{field}': {problem}");
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_before_it_is_read()
    {
        var body = new GeneratedContent(200L * 1024 * 1024, withLength: true);
        using var response = await app.Admin().PostAsync(Batches, body);
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.True(body.Produced < 1024 * 1024, $"{body.Produced:N0} bytes were read");
    }

    /// <summary>The batch body with the test dataset's id where it says {dataset}.</summary>
    private async Task<HttpContent?> WithDatasetAsync(HttpContent? body)
    {
        // Bytes, not ReadAsStringAsync: some bodies declare a charset on purpose that nothing can decode.
        if (body is not StringContent || Encoding.UTF8.GetString(await body.ReadAsByteArrayAsync()) is not { } text || !text.Contains("{dataset}"))
            return body;
        return new StringContent(text.Replace("{dataset}", app.Dataset.ToString()), Encoding.UTF8, "application/json");
    }

    private async Task<(int Batches, int Items, int Keys, int Datasets, int Rows, string Names, int Schedules, int Runs, DateTime? Updated)> StoredAsync()
    {
        var (batches, items) = await app.CountStoredAsync();
        await using var auth = await app.AuthDbAsync();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BatchMonitorDbContext>>().CreateDbContextAsync();
        var names = string.Join("|", await db.Datasets.OrderBy(d => d.Id).Select(d => d.Name).ToListAsync());
        var updated = await db.Schedules.MaxAsync(s => (DateTime?)s.UpdatedAt);
        return (batches, items, await auth.ApiKeys.CountAsync(), await db.Datasets.CountAsync(), await db.DatasetRows.CountAsync(), names,
            await db.Schedules.CountAsync(), await db.ScheduleRuns.CountAsync(), updated);
    }

    private static HttpContent Many(int count)
    {
        var json = new StringBuilder("{\"handler\":\"demo\",\"items\":[", count * 12);
        for (var i = 0; i < count; i++) json.Append(i == 0 ? "" : ",").Append("\"k").Append(i).Append('"');
        return new StringContent(json.Append("]}").ToString(), Encoding.UTF8, "application/json");
    }

    /// <summary>A JSON body of any size (an object opened, then spaces), made as it is read; counts what the server took.</summary>
    private sealed class GeneratedContent : HttpContent
    {
        private readonly long _length;
        private readonly bool _withLength;

        public GeneratedContent(long length, bool withLength)
        {
            _length = length;
            _withLength = withLength;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        private long _produced;

        public long Produced => Interlocked.Read(ref _produced);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
            await stream.WriteAsync("{"u8.ToArray());
            for (long sent = 0; sent < _length; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk);
                Interlocked.Add(ref _produced, chunk.Length);
            }
        }

        protected override bool TryComputeLength(out long size)
        {
            size = _withLength ? _length + 1 : 0;
            return _withLength;
        }
    }
}
