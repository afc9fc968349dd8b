using System.Text.Json;
using System.Text.RegularExpressions;
using BatchMonitor.Tests.Support;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Web.Endpoints;

/// <summary>/openapi/v1.json describes every API endpoint the app maps, with its answers and error codes.</summary>
public sealed partial class OpenApiTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    [Fact]
    public async Task Every_api_endpoint_is_described_with_its_success_and_error_answers()
    {
        var document = JsonDocument.Parse(await app.Viewer().GetStringAsync("/openapi/v1.json")).RootElement;
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        var paths = document.GetProperty("paths");
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true).ToList();
        Assert.True(endpoints.Count >= 20);

        foreach (var endpoint in endpoints)
        {
            var path = Constraint().Replace(endpoint.RoutePattern.RawText!, "{$1}").TrimEnd('/');
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)
            {
                Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the document");
                Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {path} is not in the document");
                var responses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
                Assert.Contains(responses, r => r.StartsWith('2'));
                Assert.Contains("401", responses);
                Assert.Contains("403", responses);
                if (path.Contains("{id}")) Assert.Contains("404", responses);
                // A batch's own change may conflict with its state; a bulk change counts such batches out instead.
                if (method != "GET" && path.StartsWith("/api/v1/batches", StringComparison.Ordinal) && method != "DELETE"
                    && path != "/api/v1/batches/bulk")
                    Assert.Contains("409", responses);
            }
        }
    }

    [Fact]
    public async Task Creating_a_batch_is_described_with_its_body_limits_and_item_shapes()
    {
        var document = JsonDocument.Parse(await app.Viewer().GetStringAsync("/openapi/v1.json")).RootElement;
        var create = document.GetProperty("paths").GetProperty("/api/v1/batches").GetProperty("post");
        var responses = create.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
        Assert.Equal(["202", "400", "401", "403", "404", "409", "413", "415"], responses.Order());
        Assert.True(create.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));

        var items = document.GetProperty("components").GetProperty("schemas").GetProperty("CreateBatchRequest")
            .GetProperty("properties").GetProperty("items");
        Assert.Equal(1_000_000, items.GetProperty("maxItems").GetInt32());
        Assert.Equal(2, items.GetProperty("items").GetProperty("oneOf").GetArrayLength());
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("apiKey", out _));
        var status = document.GetProperty("components").GetProperty("schemas").GetProperty("BatchStatus").GetProperty("enum");
        Assert.Contains("timed_out", status.EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Every_numeric_batch_option_is_described_with_the_range_the_validator_allows()
    {
        var document = JsonDocument.Parse(await app.Viewer().GetStringAsync("/openapi/v1.json")).RootElement;
        var options = document.GetProperty("components").GetProperty("schemas").GetProperty("OptionsInput").GetProperty("properties");

        foreach (var limit in Core.Services.OptionLimits.All)
        {
            var property = options.GetProperty(limit.Field);
            Assert.Equal(limit.Min, property.GetProperty("minimum").GetDouble());
            Assert.Equal(limit.Max, property.GetProperty("maximum").GetDouble());
            Assert.Contains(" to ", property.GetProperty("description").GetString());
        }
        Assert.Equal(0.001, options.GetProperty("ratePerSecond").GetProperty("minimum").GetDouble());
    }

    [GeneratedRegex(@"\{([a-zA-Z]+):[^}]+\}")]
    private static partial Regex Constraint();
}
