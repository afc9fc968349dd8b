extern alias web;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace BatchMonitor.Bench;

/// <summary>
/// The API under load: the app in its own process (the built web app, SQLite file), 10 batches running with real
/// waits, a history of finished batches, 20 SSE streams following the running batches, and 200 API clients that ask
/// without pause for the time given: lists (plain, by status, searched), a batch, a page of its items, its newest log
/// lines, the stats, and now and then a small batch created. Reports per call p50/p99/max and errors, every GET
/// together against the 250 ms p99 target, and where the time goes: the server's CPU per request (its process's CPU
/// time over the requests it answered), the driver's own CPU, and the requests per second.
/// Options: --clients 200 --seconds 60 --streams 20 --running 10 --history 300 --warmup 20 --alone-seconds 4
/// </summary>
internal static class Load
{
    private const string ApiKey = "bench-load-key-0000000001";
    private const int CostClients = 4;

    private enum Call
    {
        List,
        ListByStatus,
        Search,
        Batch,
        Items,
        Logs,
        Stats,
        Create,
    }

    /// <summary>How often each call is made, out of 100: a dashboard's and a script's mix, reads first.</summary>
    private static readonly (Call Call, int Weight)[] Mix =
    [
        (Call.List, 20), (Call.ListByStatus, 10), (Call.Search, 8), (Call.Batch, 22), (Call.Items, 16), (Call.Logs, 12),
        (Call.Stats, 10), (Call.Create, 2),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var clients = BenchOptions.Int(args, "--clients", 200);
        var seconds = BenchOptions.Int(args, "--seconds", 60);
        var streams = BenchOptions.Int(args, "--streams", 20);
        var runningCount = BenchOptions.Int(args, "--running", 10);
        var history = BenchOptions.Int(args, "--history", 300);
        var warmup = BenchOptions.Int(args, "--warmup", 20);
        // Longer windows for each call alone leave time to profile one kind (the bench says on stderr when each starts).
        var costWindow = TimeSpan.FromSeconds(BenchOptions.Int(args, "--alone-seconds", 4));
        var path = Path.Combine(Path.GetTempPath(), $"bm-load-{Guid.NewGuid():N}.db");
        var port = FreePort();
        Console.WriteLine($"load: {clients} API clients for {seconds} s (+{warmup} s warm-up), {streams} SSE streams, {runningCount} batches running, " +
                          $"{history} finished batches; the app in its own process on 127.0.0.1:{port}, {Environment.ProcessorCount} cores");

        using var server = StartServer(path, port, runningCount);
        try
        {
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients + streams + 10, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
            using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
            await UntilHealthyAsync(http, server);

            // A history to list and search, then the batches that run through the whole measurement.
            for (var i = 0; i < history; i++)
                await CreateAsync(http, $"history {i:0000} {(i % 7 == 0 ? "nightly-export" : "ranking")}", 20, 0, 0, i % 5 == 0 ? 0.2 : 0);
            await UntilAsync(async () => (await CountAsync(http, "status=queued,running")) == 0, TimeSpan.FromMinutes(5));
            var running = new List<Guid>();
            for (var i = 0; i < runningCount; i++) running.Add(await CreateAsync(http, $"long run {i}", 5000, 50, 500, 0.05, concurrency: 4));
            var finished = await IdsAsync(http, "status=completed&limit=200");

            using var stop = new CancellationTokenSource();
            var sse = new SseCounter();
            var streamTasks = Enumerable.Range(0, streams).Select(i => sse.FollowAsync(http, running[i % running.Count], stop.Token)).ToList();

            // The server's own work without any API client (the engine running the batches, the streams fed): what the
            // requests' CPU is counted above.
            await Task.Delay(TimeSpan.FromSeconds(2));
            server.Refresh();
            var idleCpuAtStart = server.TotalProcessorTime;
            var idleWindow = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(3, warmup)));
            server.Refresh();
            var background = (server.TotalProcessorTime - idleCpuAtStart).TotalMilliseconds / idleWindow.Elapsed.TotalMilliseconds;

            var measured = new Dictionary<Call, List<double>>();
            var errors = new Dictionary<string, int>();
            foreach (var (call, _) in Mix) measured[call] = [];
            var measuring = false;
            var clock = Stopwatch.StartNew();
            var end = TimeSpan.FromSeconds(warmup + seconds);
            TimeSpan serverCpuAtStart = default, driverCpuAtStart = default;
            var driver = Process.GetCurrentProcess();

            async Task ClientAsync(int seed)
            {
                var random = new Random(seed);
                while (clock.Elapsed < end)
                {
                    var call = Pick(random);
                    var watch = Stopwatch.StartNew();
                    string? error;
                    try
                    {
                        error = await MakeAsync(http, call, random, running, finished);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        error = e.GetType().Name;
                    }
                    var ms = watch.Elapsed.TotalMilliseconds;
                    if (!Volatile.Read(ref measuring)) continue;
                    lock (measured)
                    {
                        measured[call].Add(ms);
                        if (error is not null) errors[$"{call}: {error}"] = errors.GetValueOrDefault($"{call}: {error}") + 1;
                    }
                }
            }

            var clientTasks = Enumerable.Range(0, clients).Select(i => Task.Run(() => ClientAsync(i))).ToList();
            await Task.Delay(TimeSpan.FromSeconds(warmup));
            server.Refresh();
            driver.Refresh();
            serverCpuAtStart = server.TotalProcessorTime;
            driverCpuAtStart = driver.TotalProcessorTime;
            var eventsAtStart = sse.Events;
            var window = Stopwatch.StartNew();
            Volatile.Write(ref measuring, true);
            await Task.WhenAll(clientTasks);
            var elapsed = window.Elapsed.TotalSeconds;
            server.Refresh();
            driver.Refresh();
            var serverCpu = (server.TotalProcessorTime - serverCpuAtStart).TotalMilliseconds;
            var driverCpu = (driver.TotalProcessorTime - driverCpuAtStart).TotalMilliseconds;
            var events = sse.Events - eventsAtStart;

            // The same again once the server is warm (its code compiled to the last tier while the clients asked): the
            // batches still run and the streams are still fed; this is what the requests' CPU is counted above.
            await Task.Delay(TimeSpan.FromSeconds(1));
            server.Refresh();
            var warmCpuAtStart = server.TotalProcessorTime;
            var warmWindow = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(5));
            server.Refresh();
            var warmBackground = (server.TotalProcessorTime - warmCpuAtStart).TotalMilliseconds / warmWindow.Elapsed.TotalMilliseconds;
            // Each call alone, from a few clients, with the batches still running: the server's CPU per call of each kind.
            var costs = new List<(Call Call, int Requests, double CpuMs)>();
            foreach (var (call, _) in Mix)
            {
                Console.Error.WriteLine($"alone: {Describe(call)}");
                var requests = 0;
                var until = Stopwatch.StartNew();
                server.Refresh();
                var cpuAtStart = server.TotalProcessorTime;
                await Task.WhenAll(Enumerable.Range(0, CostClients).Select(c => Task.Run(async () =>
                {
                    var random = new Random(1000 + c);
                    while (until.Elapsed < costWindow)
                    {
                        await MakeAsync(http, call, random, running, finished);
                        Interlocked.Increment(ref requests);
                    }
                })));
                server.Refresh();
                var cpu = (server.TotalProcessorTime - cpuAtStart).TotalMilliseconds - warmBackground * until.Elapsed.TotalMilliseconds;
                costs.Add((call, requests, cpu / Math.Max(1, requests)));
            }
            await stop.CancelAsync();
            await Task.WhenAll(streamTasks);

            Report(measured, errors, elapsed, serverCpu, background, warmBackground, driverCpu, events, sse);
            Console.WriteLine();
            Console.WriteLine($"each call alone ({CostClients} clients, {costWindow.TotalSeconds:0} s each, the batches still running): server CPU per request beyond the background");
            foreach (var (call, requests, cpuMs) in costs)
                Console.WriteLine($"{Describe(call),-22} {requests,9:N0} {cpuMs,8:0.00} ms");
            return errors.Count == 0 ? 0 : 1;
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        }
    }

    private static void Report(Dictionary<Call, List<double>> measured, Dictionary<string, int> errors, double seconds,
        double serverCpuMs, double coldBackgroundCores, double backgroundCores, double driverCpuMs, long events, SseCounter sse)
    {
        var total = measured.Values.Sum(v => v.Count);
        Console.WriteLine();
        Console.WriteLine($"{"call",-22} {"requests",9} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
        foreach (var (call, values) in measured.OrderBy(m => m.Key))
        {
            values.Sort();
            Console.WriteLine($"{Describe(call),-22} {values.Count,9:N0} {P(values, 0.50),8:0.0} {P(values, 0.99),8:0.0} {(values.Count > 0 ? values[^1] : 0),8:0.0}");
        }
        var gets = measured.Where(m => m.Key != Call.Create).SelectMany(m => m.Value).Order().ToList();
        Console.WriteLine($"{"every GET",-22} {gets.Count,9:N0} {P(gets, 0.50),8:0.0} {P(gets, 0.99),8:0.0} {(gets.Count > 0 ? gets[^1] : 0),8:0.0}   target p99 <= 250 ms");
        Console.WriteLine();
        Console.WriteLine($"requests/s              {total / seconds,10:N0}");
        Console.WriteLine($"errors                  {errors.Values.Sum(),10:N0}");
        foreach (var (what, count) in errors.OrderByDescending(e => e.Value)) Console.WriteLine($"  {what}: {count}");
        var requestsCpuMs = serverCpuMs - backgroundCores * seconds * 1000;
        Console.WriteLine($"server CPU              {serverCpuMs / 1000 / seconds,10:0.00} cores, of which {backgroundCores:0.00} without clients " +
                          $"(engine, streams; measured warm, after the clients; {coldBackgroundCores:0.00} right after start); " +
                          $"{requestsCpuMs / Math.Max(1, total):0.00} ms per request beyond that");
        Console.WriteLine($"driver CPU              {driverCpuMs / 1000 / seconds,10:0.00} cores");
        Console.WriteLine($"SSE events              {events / seconds,10:N0}/s over {sse.Streams} streams ({sse.Broken} broke)");
    }

    private static string Describe(Call call) => call switch
    {
        Call.List => "GET batches",
        Call.ListByStatus => "GET batches?status",
        Call.Search => "GET batches?q",
        Call.Batch => "GET batch",
        Call.Items => "GET items page",
        Call.Logs => "GET logs (tail)",
        Call.Stats => "GET stats",
        _ => "POST batch (5 items)",
    };

    private static Call Pick(Random random)
    {
        var roll = random.Next(Mix.Sum(m => m.Weight));
        foreach (var (call, weight) in Mix)
        {
            if (roll < weight) return call;
            roll -= weight;
        }
        return Call.List;
    }

    /// <summary>Makes one call; null when it answered as it should, else what went wrong.</summary>
    private static async Task<string?> MakeAsync(HttpClient http, Call call, Random random, List<Guid> running, List<Guid> finished)
    {
        var batch = random.Next(3) == 0 && finished.Count > 0 ? finished[random.Next(finished.Count)] : running[random.Next(running.Count)];
        var (method, uri, body) = call switch
        {
            Call.List => (HttpMethod.Get, "/api/v1/batches?limit=50", null),
            Call.ListByStatus => (HttpMethod.Get, $"/api/v1/batches?status={(random.Next(2) == 0 ? "running" : "completed")}&limit=50", null),
            Call.Search => (HttpMethod.Get, $"/api/v1/batches?q={Uri.EscapeDataString(random.Next(2) == 0 ? "nightly" : "long run")}&limit=50", null),
            Call.Batch => (HttpMethod.Get, $"/api/v1/batches/{batch}", null),
            Call.Items => (HttpMethod.Get, $"/api/v1/batches/{batch}/items?limit=100&offset={random.Next(20) * 100}", null),
            Call.Logs => (HttpMethod.Get, $"/api/v1/batches/{batch}/logs?tail=true&limit=100", null),
            Call.Stats => (HttpMethod.Get, "/api/v1/stats?window=1h", null),
            _ => (HttpMethod.Post, "/api/v1/batches", JsonContent.Create(new
            {
                handler = "demo", name = $"small {Guid.NewGuid():N}", items = Enumerable.Range(0, 5).Select(i => $"k{i}").ToArray(),
                args = new { minMs = 0, maxMs = 0, failureRate = 0 },
            })),
        };
        using var request = new HttpRequestMessage(method, uri) { Content = body };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var expected = call == Call.Create ? HttpStatusCode.Accepted : HttpStatusCode.OK;
        return response.StatusCode == expected ? null : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Counts what the SSE streams receive (each <c>event:</c> line is one event).</summary>
    private sealed class SseCounter
    {
        private long _events;
        private int _streams;
        private int _broken;
        public long Events => Interlocked.Read(ref _events);
        public int Streams => Volatile.Read(ref _streams);
        public int Broken => Volatile.Read(ref _broken);

        public async Task FollowAsync(HttpClient http, Guid batch, CancellationToken stop)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/batches/{batch}/events");
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref _streams);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop), Encoding.UTF8);
                while (await reader.ReadLineAsync(stop) is { } line)
                    if (line.StartsWith("event:", StringComparison.Ordinal)) Interlocked.Increment(ref _events);
                if (!stop.IsCancellationRequested) Interlocked.Increment(ref _broken);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                Interlocked.Increment(ref _broken);
            }
        }
    }

    private static async Task<Guid> CreateAsync(HttpClient http, string name, int items, int minMs, int maxMs, double failureRate,
        int concurrency = 8)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/batches", new
        {
            handler = "demo", name, items = Enumerable.Range(0, items).Select(i => $"{name}-{i:00000}").ToArray(),
            args = new { minMs, maxMs, failureRate }, options = new { concurrency, maxAttempts = 1 },
        });
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
    }

    private static async Task<int> CountAsync(HttpClient http, string filter) =>
        JsonDocument.Parse(await http.GetStringAsync($"/api/v1/batches?{filter}&limit=1")).RootElement.GetProperty("total").GetInt32();

    private static async Task<List<Guid>> IdsAsync(HttpClient http, string filter) =>
        JsonDocument.Parse(await http.GetStringAsync($"/api/v1/batches?{filter}")).RootElement.GetProperty("items")
            .EnumerateArray().Select(b => b.GetProperty("id").GetGuid()).ToList();

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > limit) throw new TimeoutException("the history batches did not finish");
            await Task.Delay(200);
        }
    }

    private static async Task UntilHealthyAsync(HttpClient http, Process server)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (server.HasExited) throw new InvalidOperationException($"the app stopped at start (exit {server.ExitCode})");
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            if (watch.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("the app did not answer /healthz");
            await Task.Delay(200);
        }
    }

    /// <summary>The built web app (copied beside the bench) in a process of its own, with an admin key from the bootstrap settings.</summary>
    private static Process StartServer(string database, int port, int maxRunning)
    {
        var app = typeof(web::Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [app, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = Path.GetDirectoryName(app)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Development: the static files' manifest beside a copied app is the build's, not a publish's (the API is what is measured).
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__BatchMonitor"] = $"Data Source={database}";
        start.Environment["BatchMonitor__Bootstrap__AdminEmail"] = "load@batchmonitor.test";
        start.Environment["BatchMonitor__Bootstrap__AdminPassword"] = "Bench-load-1";
        start.Environment["BatchMonitor__Bootstrap__ApiKey"] = ApiKey;
        start.Environment["BatchMonitor__Engine__MaxRunningBatches"] = maxRunning.ToString(CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line) Console.Error.WriteLine($"[app] {line}");
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double P(List<double> sorted, double share) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(share * sorted.Count) - 1)];
}
