using System.Net;
using System.Text;
using BatchMonitor.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Web.Endpoints.Infrastructure;

/// <summary>Answers the framework gives rather than an endpoint: under /api, /hubs and /openapi they are problem+json too.</summary>
public sealed class FrameworkAnswerTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    public static TheoryData<string, string, int> Answers() => new()
    {
        { "GET", "/api", 404 },
        { "GET", "/api/v2/batches", 404 },
        { "GET", "/api/v1/batches/0195d1a2-0000-7000-8000-000000000001/nothing", 404 },
        { "DELETE", "/api/v1/handlers", 405 },
        { "TRACE", "/api/v1/batches", 405 },
        { "OPTIONS", "/api/v1/batches", 405 },
        { "GET", "/hubs/batches/negotiate", 405 },
        { "GET", "/hubs/nothing", 404 },
        { "GET", "/openapi/v9.json", 404 },
        { "GET", "/openapi/v1.yaml", 404 },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Is_a_problem_with_title_status_and_detail(string method, string path, int status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await app.Admin().SendAsync(request);

        var problem = await response.AssertProblemAsync((HttpStatusCode)status);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), problem.ToString());
    }
}
