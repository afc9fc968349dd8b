using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>Keys that look like scripts, SQL or formulas are data: stored and returned exactly as given, and harmless.</summary>
public sealed class VerbatimKeyTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    private static readonly string[] Keys =
    [
        "<script>alert('x')</script>",
        "<img src=x onerror=alert(1)>",
        "'; DROP TABLE batch_items; --",
        "Robert'); DROP TABLE batches;--",
        "\" OR 1=1 --",
        "1; DELETE FROM auth_users",
        "%_\\%",
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        "+SUM(1,2)",
        "@cmd",
        "{{7*7}} ${jndi:ldap://x} #{1+1}",
        "../../etc/passwd",
        "ünïcødé ✓ 🚀 中文",
        "  spaced  ",
    ];

    [Fact]
    public async Task Script_and_sql_keys_are_stored_and_returned_verbatim()
    {
        using var client = app.Admin();
        var batch = await app.CreateBatchAsync(new
        {
            name = "<b>bold</b> '; DROP TABLE batches; --",
            handler = "demo",
            items = Keys,
            args = new { minMs = 0, maxMs = 0, failureRate = 0 },
        });
        Assert.Equal("<b>bold</b> '; DROP TABLE batches; --", batch.Name);
        await app.WaitForStatusAsync(batch.Id, "completed");

        var page = await client.GetAsync($"/api/v1/batches/{batch.Id}/items?limit=100");
        Assert.Equal("application/json", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        var items = (await page.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("key").GetString()).ToArray();
        Assert.Equal(Keys, items);

        var exported = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/batches/{batch.Id}/results?format=json");
        Assert.Equal(Keys, exported!.Select(e => e.GetProperty("key").GetString()));

        // Searching by such text is a search, not SQL.
        var found = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches?q={Uri.EscapeDataString("DROP TABLE batch_items")}");
        Assert.Contains(found.GetProperty("items").EnumerateArray(), b => b.GetProperty("id").GetGuid() == batch.Id);
        var like = await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{batch.Id}/items?q={Uri.EscapeDataString("%_\\%")}");
        Assert.Equal(1, like.GetProperty("total").GetInt32());

        // The tables are all still there and the users too.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/batches")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Viewer().GetAsync("/api/v1/batches")).StatusCode);
    }

    [Fact]
    public async Task The_csv_export_keeps_text_keys_and_defuses_formulas()
    {
        var batch = await app.CreateBatchAsync(new { handler = "demo", items = Keys, args = new { minMs = 0, maxMs = 0, failureRate = 0 } });
        await app.WaitForStatusAsync(batch.Id, "completed");
        var csv = await app.Admin().GetStringAsync($"/api/v1/batches/{batch.Id}/results?format=csv");

        Assert.Contains("\n1,<img src=x onerror=alert(1)>,", csv);
        Assert.Contains("\n2,'; DROP TABLE batch_items; --,", csv);
        // A spreadsheet would run these: they are prefixed with ' so they stay text.
        Assert.Contains("\n7,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",", csv);
        Assert.Contains("\n8,\"'+SUM(1,2)\",", csv);
        Assert.Contains("\n9,\"'@cmd\",", csv);
    }
}
