using System.Net;
using System.Text.Json.Nodes;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Web.Endpoints;

public sealed class ServerErrorTests
{
    [Fact]
    public async Task An_unexpected_error_is_a_500_problem_that_shows_no_internals()
    {
        await using var app = BatchMonitorApp.With(null, services => services.AddSingleton<IBatchHandler, BrokenHandler>());
        await app.InitializeAsync();

        var response = await app.Viewer().GetAsync("/api/v1/handlers");

        var problem = await response.AssertProblemAsync(HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("secret internals", problem.ToString());
        Assert.Contains(app.Logs.Lines, line => line.Contains("secret internals"));
    }

    /// <summary>A handler whose description cannot be read.</summary>
    private sealed class BrokenHandler : IBatchHandler
    {
        public string Name => "broken";
        public string Description => "Cannot describe itself.";
        public IReadOnlyList<HandlerArgument> Arguments => throw new InvalidOperationException("secret internals");
        public Task<JsonNode?> HandleAsync(ItemContext item, CancellationToken cancellationToken) => Task.FromResult<JsonNode?>(null);
    }
}
