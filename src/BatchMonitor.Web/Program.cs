using BatchMonitor.Core;
using BatchMonitor.Web;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddBatchMonitorCore(builder.Configuration);
builder.Services.AddBatchMonitorWeb(builder.Configuration, builder.Environment);

var app = builder.Build();
await app.MigrateDatabaseAsync();
app.UseBatchMonitorWeb();
await app.RunAsync();

/// <summary>The entry point, visible to the tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
