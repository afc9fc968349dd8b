extern alias web;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Bench;

/// <summary>
/// How long <c>POST /api/v1/batches</c> takes to answer 202 over HTTP for batches of 1 to 100,000 items: JSON read and
/// checked, the batch and every item row committed, the Location sent. The engine runs the batches meanwhile, as it
/// would. Options: --runs 5 --sizes 1,1000,10000,100000
/// </summary>
internal static class ApiCreate
{
    private const string ApiKey = "bench-api-create-key-0001";

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = BenchOptions.Int(args, "--runs", 5);
        var sizes = (BenchOptions.Text(args, "--sizes") ?? "1,1000,10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        Console.WriteLine($"api-create: POST /api/v1/batches over HTTP (Kestrel, SQLite file), {runs} runs per size, {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"items",8} {"body MiB",9} {"p50 ms",8} {"min ms",8} {"max ms",8} {"items/s (p50)",14}");

        var path = Path.Combine(Path.GetTempPath(), $"bm-create-{Guid.NewGuid():N}.db");
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        try
        {
            await using var server = new CreateServer(path);
            using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
            client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);

            await PostAsync(client, Body(1_000)); // warm-up: JIT, connection, SQLite's first pages; not reported
            foreach (var size in sizes)
            {
                var body = Body(size);
                var times = new List<double>();
                for (var run = 0; run < runs; run++) times.Add(await PostAsync(client, body));
                times.Sort();
                var p50 = times[times.Count / 2];
                Console.WriteLine($"{size,8:N0} {body.Length / 1048576.0,9:0.00} {p50,8:0.0} {times[0],8:0.0} {times[^1],8:0.0} {size / (p50 / 1000),14:N0}");
            }
            return 0;
        }
        finally
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        }
    }

    private static async Task<double> PostAsync(HttpClient client, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsync("/api/v1/batches", content, CancellationToken.None);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return elapsed;
    }

    /// <summary>A demo batch whose items take no time, so the engine's own work is what competes with the next POST.</summary>
    private static byte[] Body(int items)
    {
        var json = new StringBuilder("{\"handler\":\"demo\",\"args\":{\"minMs\":0,\"maxMs\":0,\"failureRate\":0},\"items\":[", items * 16);
        for (var i = 0; i < items; i++) json.Append(i == 0 ? "" : ",").Append("\"account-").Append(i.ToString("000000", CultureInfo.InvariantCulture)).Append('"');
        return Encoding.UTF8.GetBytes(json.Append("]}").ToString());
    }


    /// <summary>The app on a real port over its own SQLite file, with an admin and an API key from the bootstrap settings.</summary>
    private sealed class CreateServer : RealPortApp
    {
        private readonly string _path;

        public CreateServer(string path)
        {
            _path = path;
            Start();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:BatchMonitor", $"Data Source={_path}");
            builder.UseSetting("BatchMonitor:Bootstrap:AdminEmail", "bench@batchmonitor.test");
            builder.UseSetting("BatchMonitor:Bootstrap:AdminPassword", "Bench-create-1");
            builder.UseSetting("BatchMonitor:Bootstrap:ApiKey", ApiKey);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }
}
