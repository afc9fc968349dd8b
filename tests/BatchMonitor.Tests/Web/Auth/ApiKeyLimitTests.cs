using System.Net;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web.Auth;

/// <summary>The wrong-key limit refuses guesses, never the right key.</summary>
public sealed class ApiKeyLimitTests
{
    [Fact]
    public async Task After_too_many_wrong_keys_from_an_address_the_right_key_from_it_still_works()
    {
        await using var app = BatchMonitorApp.With(new Dictionary<string, string?> { ["BatchMonitor:Auth:ApiKeyFailuresPerMinute"] = "3" });
        await app.InitializeAsync();
        using var guesser = app.WithKey("bm_wrong-wrong-wrong-wrong-wrong");
        for (var i = 0; i < 3; i++) await (await guesser.GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await guesser.GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.TooManyRequests);

        Assert.Equal(HttpStatusCode.OK, (await app.Admin().GetAsync("/api/v1/batches")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Viewer().GetAsync("/api/v1/batches")).StatusCode);
        await (await guesser.GetAsync("/api/v1/batches")).AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }
}
