using System.Net;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Web;

public sealed class SmokeTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>
{
    [Fact]
    public async Task Health_answers_without_sign_in()
    {
        var response = await app.Anonymous().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = await app.Admin().GetAsync("/api/v1/batches");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var viewer = await app.SignedInAsync(BatchMonitorApp.ViewerEmail, BatchMonitorApp.ViewerPassword);
        var page = await viewer.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}
