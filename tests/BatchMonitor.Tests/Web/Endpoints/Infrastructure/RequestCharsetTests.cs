using System.Net;
using System.Text;
using System.Text.Json;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Endpoints.Infrastructure;

/// <summary>The charset of a JSON body: known ones are read, quoted or not; an unknown one is a 415 problem, never a 500.</summary>
public sealed class RequestCharsetTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json")]
    public async Task A_utf8_body_is_read_whichever_way_its_charset_is_written(string contentType)
    {
        var key = $"café-{Guid.NewGuid():N}";

        using var response = await PostDatasetAsync(Encoding.UTF8.GetBytes($$"""{"name":"charset {{key}}","items":["{{key}}"]}"""), contentType);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(key, await FirstKeyAsync(response));
    }

    [Fact]
    public async Task A_latin1_body_is_read_as_latin1()
    {
        using var response = await PostDatasetAsync(Encoding.Latin1.GetBytes("""{"name":"latin","items":["café"]}"""),
            "application/json; charset=iso-8859-1");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("café", await FirstKeyAsync(response));
    }

    [Fact]
    public async Task An_unknown_charset_is_a_415_problem_that_names_it_and_stores_nothing()
    {
        var before = await app.CountStoredAsync();
        using var content = new ByteArrayContent("""{"handler":"demo","items":["a"]}"""u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=bogus");

        using var response = await app.Admin().PostAsync("/api/v1/batches", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("'bogus'", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await app.CountStoredAsync());
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains("is not a known encoding"));
    }

    private async Task<HttpResponseMessage> PostDatasetAsync(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return await app.Admin().PostAsync("/api/v1/datasets", content);
    }

    private async Task<string?> FirstKeyAsync(HttpResponseMessage created)
    {
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        var rows = JsonDocument.Parse(await app.Admin().GetStringAsync($"/api/v1/datasets/{id}/items")).RootElement;
        return rows.GetProperty("items")[0].GetProperty("key").GetString();
    }
}
