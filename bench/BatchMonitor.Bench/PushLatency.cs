extern alias web;
using BatchMonitor.Core.Access;

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchMonitor.Core.Services;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BatchMonitor.Bench;

/// <summary>
/// Push latency from commit to DOM: the whole app in this process on a real port, N running demo batches, and M
/// Chromium tabs on their batch pages (tab i watches batch i mod N).
/// <list type="bullet">
/// <item>The server side records when each change of a batch's finished count is written: a SQLite trigger on the
/// batches row stamps the time of the UPDATE inside the engine's transaction (just before its commit, so the
/// latency measured is, if anything, a little longer than the true one).</item>
/// <item>Each tab records, with a MutationObserver, when its progress bar's aria-valuenow changes (the moment the
/// render batch is applied to the DOM), on the same machine clock (performance.timeOrigin + now).</item>
/// <item>A latency is, for each commit and each tab watching that batch, the time until that tab shows a value at
/// least as high: coalescing (events at most every 100 ms, renders at most ten a second) is part of it.</item>
/// </list>
/// Memory per tab is the growth of the server's managed heap (after full collections) and of the process's
/// working set from before the tabs opened to after they are all live, divided by the tabs.
/// <para>
/// It also counts the bytes each tab receives over its circuit's WebSocket while measuring (Playwright's
/// <c>FrameReceived</c> payload sizes): what one open tab costs the network.
/// With <c>--page list</c> the tabs open the batch list (<c>/batches</c>, its first page) instead of a batch page,
/// and each watches every running batch it shows; <c>--finished 280</c> first runs that many one-item batches to the
/// end, so the list holds 300 batches of which 20 run.
/// </para>
/// Options: --batches 20 --tabs 50 --seconds 30 --page batch|list --finished 0
/// </summary>
internal static class PushLatency
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private const string Recorder = """
        window.__bmSamples = [];
        new MutationObserver(mutations => {
          const at = performance.timeOrigin + performance.now();
          for (const m of mutations) {
            const el = m.target;
            if (el.getAttribute && el.getAttribute('role') === 'progressbar' && el.dataset.batchId)
              window.__bmSamples.push([el.dataset.batchId, Number(el.getAttribute('aria-valuenow')), at]);
          }
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] });
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var batchCount = BenchOptions.Int(args, "--batches", 20);
        var tabCount = BenchOptions.Int(args, "--tabs", 50);
        var seconds = BenchOptions.Int(args, "--seconds", 30);
        // The engine's coalescing window (BatchMonitor:Engine:EventWindow); 100 ms is the product's default.
        var windowMs = BenchOptions.Int(args, "--event-window-ms", 100);
        var list = BenchOptions.Text(args, "--page") == "list";
        var finishedCount = BenchOptions.Int(args, "--finished", 0);
        if (!File.Exists(ChromiumPath))
        {
            Console.Error.WriteLine($"push needs Chromium at {ChromiumPath}: apt-get update && apt-get install -y chromium");
            return 2;
        }
        Console.WriteLine($"push: {batchCount} running demo batches (and {finishedCount} finished), {tabCount} Chromium tabs on " +
                          $"{(list ? "the batch list" : "their batch pages")}, {seconds} s measured, " +
                          $"{Environment.ProcessorCount} cores, engine event window {windowMs} ms");

        var path = Path.Combine(Path.GetTempPath(), $"bm-push-{Guid.NewGuid():N}.db");
        // WebApplicationFactory finds the app's content root through MvcTestingAppManifest.json in the working directory.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        try
        {
            await using var server = new PushServer(path, batchCount, windowMs);
            await InstallCommitClockAsync(path);

            for (var i = 0; i < finishedCount; i++) await server.StartDemoAsync($"done {i + 1:000}", items: 1);
            await WaitAsync(async () => await server.ActiveCountAsync() == 0, "every finished batch to finish");
            var ids = new List<Guid>();
            for (var i = 0; i < batchCount; i++) ids.Add(await server.StartDemoAsync($"push {i + 1:00}"));
            await WaitAsync(async () => await server.RunningAsync() == batchCount, "every batch to run");

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            // Fifty tabs share two cores with the server here: no animation (the page honours reduced motion), so the
            // tabs spend their time on what is measured, applying pushed changes, not on repainting transitions.
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = server.BaseAddress.ToString(),
                ReducedMotion = ReducedMotion.Reduce,
                ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            });
            await context.AddInitScriptAsync(Recorder);
            await SignInIfAskedAsync(await context.NewPageAsync(), $"/batches/{ids[0]}");

            var (heapBefore, setBefore) = Memory();
            var circuitsBefore = server.Circuits;
            var tabs = new List<(IPage Page, Guid Batch)>();
            var received = new long[tabCount];
            var counting = false;
            for (var i = 0; i < tabCount; i++)
            {
                var page = await context.NewPageAsync();
                var tab = i;
                page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
                {
                    if (Volatile.Read(ref counting))
                        Interlocked.Add(ref received[tab], frame.Binary?.Length ?? System.Text.Encoding.UTF8.GetByteCount(frame.Text ?? ""));
                };
                // On the list, a tab watches every batch it shows (Guid.Empty).
                var batch = list ? Guid.Empty : ids[i % ids.Count];
                await page.GotoAsync(list ? "/batches" : $"/batches/{batch}");
                await page.Locator("[data-circuit='live']").WaitForAsync(new() { Timeout = 60_000 });
                tabs.Add((page, batch));
            }
            await WaitAsync(() => Task.FromResult(server.Circuits - circuitsBefore >= tabCount), "every tab's circuit");
            var (heapAfter, setAfter) = Memory();

            // Measure: forget what the tabs saw while opening, then watch for the given time. The server's own
            // subscriber says when each change was handed to subscribers (after the engine's coalescing).
            foreach (var (page, _) in tabs) await page.EvaluateAsync("window.__bmSamples = []");
            var deliveries = new System.Collections.Concurrent.ConcurrentQueue<(Guid Batch, int Finished, double At)>();
            using var listener = server.Services.GetRequiredService<Core.Events.BatchEvents>().SubscribeAll(change =>
            {
                if (change.Batch is { } b) deliveries.Enqueue((b.Id, b.Finished, UnixMs()));
                return Task.CompletedTask;
            });
            Volatile.Write(ref counting, true);
            var from = UnixMs();
            var serverCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var serverCpu = (Process.GetCurrentProcess().TotalProcessorTime - serverCpuBefore).TotalSeconds / seconds;
            var until = UnixMs();
            Volatile.Write(ref counting, false);
            var seen = new List<List<(Guid Batch, int Value, double At)>>();
            foreach (var (page, _) in tabs) seen.Add(Samples(await page.EvaluateAsync<JsonElement>("window.__bmSamples")));
            var commits = await CommitsAsync(path, from, until - 1000);

            var latencies = new List<double>();
            var missed = 0;
            foreach (var commit in commits)
            {
                for (var t = 0; t < tabs.Count; t++)
                {
                    if (tabs[t].Batch != commit.Batch && tabs[t].Batch != Guid.Empty) continue;
                    var shown = seen[t].FirstOrDefault(s => s.Batch == commit.Batch && s.Value >= commit.Finished);
                    if (shown == default) missed++;
                    else latencies.Add(Math.Max(0, shown.At - commit.At));
                }
            }
            latencies.Sort();
            var domChanges = seen.Sum(s => s.Count);
            var delivered = deliveries.ToList();
            var toDelivery = commits
                .Select(c => delivered.FirstOrDefault(d => d.Batch == c.Batch && d.Finished >= c.Finished))
                .Zip(commits, (d, c) => d == default ? double.NaN : Math.Max(0, d.At - c.At))
                .Where(double.IsFinite).Order().ToList();

            Console.WriteLine();
            Console.WriteLine($"commits measured        {commits.Count,10:N0}  (finished-count changes, {commits.Count / Math.Max(1, (until - from - 1000) / 1000.0):N0}/s)");
            Console.WriteLine($"DOM updates seen        {domChanges,10:N0}  ({domChanges / ((until - from) / 1000.0):N0}/s over {tabCount} tabs)");
            Console.WriteLine($"commit→DOM pairs        {latencies.Count,10:N0}  (missed: {missed})");
            Console.WriteLine($"latency p50             {Percentile(latencies, 0.50),10:N1} ms");
            Console.WriteLine($"latency p90             {Percentile(latencies, 0.90),10:N1} ms");
            Console.WriteLine($"latency p99             {Percentile(latencies, 0.99),10:N1} ms");
            Console.WriteLine($"latency max             {(latencies.Count == 0 ? double.NaN : latencies[^1]),10:N1} ms");
            var commitTimes = server.CommitTimes.Times.Order().ToList();
            var toCommit = commits.Select(c => commitTimes.FirstOrDefault(t => t >= c.At, double.NaN) - c.At).Where(double.IsFinite).Order().ToList();
            Console.WriteLine($"  write→commit           p50 {Percentile(toCommit, 0.50):N1} ms, p99 {Percentile(toCommit, 0.99):N1} ms");
            Console.WriteLine($"  of which commit→event  p50 {Percentile(toDelivery, 0.50):N1} ms, p99 {Percentile(toDelivery, 0.99):N1} ms " +
                              "(the engine's coalescing: at most one delivery per batch per 100 ms)");
            var perTab = received.Select(b => b / ((until - from) / 1000.0)).Order().ToList();
            Console.WriteLine($"circuit bytes per tab   {perTab.Average() / 1024,10:N1} KiB/s  (received over the WebSocket; min {perTab[0] / 1024:N1}, max {perTab[^1] / 1024:N1})");
            Console.WriteLine($"server CPU              {serverCpu,10:N2} cores  (this process: app, engine, Playwright client; of {Environment.ProcessorCount})");
            Console.WriteLine($"server heap per tab     {(heapAfter - heapBefore) / 1024.0 / tabCount,10:N0} KiB  (managed, after full GC)");
            Console.WriteLine($"working set per tab     {(setAfter - setBefore) / 1024.0 / tabCount,10:N0} KiB  (whole process)");
            Console.WriteLine($"server heap total       {heapAfter / 1048576.0,10:N1} MiB  with {tabCount} tabs");

            foreach (var id in ids) await server.CancelAsync(id);
            await browser.CloseAsync();
            return latencies.Count > 0 && missed == 0 ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        }
    }

    /// <summary>With sign-in on, the first page lands on /login: sign in as the configured admin (the context keeps the cookie).</summary>
    private static async Task SignInIfAskedAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        if (new Uri(page.Url).AbsolutePath.StartsWith("/login", StringComparison.OrdinalIgnoreCase))
        {
            await page.Locator("#email").FillAsync(PushServer.AdminEmail);
            await page.Locator("#password").FillAsync(PushServer.AdminPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login", StringComparison.OrdinalIgnoreCase));
        }
        await page.CloseAsync();
    }

    /// <summary>Stamps each change of a batch's finished count with the machine clock, in the engine's own transaction.</summary>
    private static async Task InstallCommitClockAsync(string path)
    {
        await using var db = new SqliteConnection($"Data Source={path}");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = """
            CREATE TABLE bench_commits (batch_id TEXT NOT NULL, finished INTEGER NOT NULL, at_ms REAL NOT NULL);
            CREATE TRIGGER bench_commit_clock AFTER UPDATE ON batches
            WHEN NEW.succeeded + NEW.failed + NEW.skipped + NEW.cancelled <> OLD.succeeded + OLD.failed + OLD.skipped + OLD.cancelled
            BEGIN
              INSERT INTO bench_commits VALUES (NEW.id, NEW.succeeded + NEW.failed + NEW.skipped + NEW.cancelled,
                                                (julianday('now') - 2440587.5) * 86400000.0);
            END;
            """;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<(Guid Batch, int Finished, double At)>> CommitsAsync(string path, double from, double until)
    {
        await using var db = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT batch_id, finished, at_ms FROM bench_commits WHERE at_ms >= $from AND at_ms <= $until";
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$until", until);
        var commits = new List<(Guid, int, double)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) commits.Add((Guid.Parse(reader.GetString(0)), reader.GetInt32(1), reader.GetDouble(2)));
        return commits;
    }

    private static List<(Guid, int, double)> Samples(JsonElement samples) => samples.EnumerateArray()
        .Select(s => (Guid.Parse(s[0].GetString()!), s[1].GetInt32(), s[2].GetDouble())).ToList();

    private static (long Heap, long WorkingSet) Memory()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }

    private static double UnixMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"Gave up waiting for {what}.");
            await Task.Delay(50);
        }
    }


    /// <summary>The app on a real port over its own SQLite file, room for every batch to run at once, quiet logs.</summary>
    private sealed class PushServer : RealPortApp
    {
        public const string AdminEmail = "bench@batchmonitor.test";
        public const string AdminPassword = "Bench-push-1";

        private readonly string _path;
        private readonly int _batches;
        private readonly int _windowMs;

        public PushServer(string path, int batches, int windowMs)
        {
            _path = path;
            _batches = batches;
            _windowMs = windowMs;
            Start();
        }

        /// <summary>When each transaction committed (diagnostics: the gap between a counter's write and its commit).</summary>
        public CommitClock CommitTimes { get; } = new();

        public int Circuits => Services.GetRequiredService<CircuitCounter>().Open;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:BatchMonitor", $"Data Source={_path}");
            builder.UseSetting("BatchMonitor:Engine:MaxRunningBatches", _batches.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("BatchMonitor:Engine:EventWindow", TimeSpan.FromMilliseconds(_windowMs).ToString("c", CultureInfo.InvariantCulture));
            builder.UseSetting("BatchMonitor:Bootstrap:AdminEmail", AdminEmail);
            builder.UseSetting("BatchMonitor:Bootstrap:AdminPassword", AdminPassword);
            builder.UseSetting("BatchMonitor:Auth:SignInAttemptsPerMinute", "1000"); // 50 tabs sign in at once
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<CircuitCounter>();
                services.ConfigureDbContext<Core.Storage.BatchMonitorDbContext>(o => o.AddInterceptors(CommitTimes));
                services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<CircuitCounter>().Handler());
            });
        }

        public Task<Guid> StartDemoAsync(string name, int items = 5000) => WithBatchesAsync(async batches =>
        {
            var result = await batches.CreateAsync(new CreateBatchRequest
            {
                Name = name,
                Handler = "demo",
                Items = Enumerable.Range(1, items).Select(i => new ItemInput($"item-{i:0000}")).ToList(),
                Args = new JsonObject { ["minMs"] = 200, ["maxMs"] = 600, ["failureRate"] = 0.05 },
                Options = new OptionsInput { Concurrency = 2, MaxAttempts = 1 },
            }, Actor.Admin("bench"));
            return result.Batch?.Id ?? throw new InvalidOperationException(result.Errors?.ToString() ?? result.Conflict);
        });

        public Task<int> ActiveCountAsync() => WithBatchesAsync(async b => (await b.ActiveAsync()).Count);

        public Task<int> RunningAsync() => WithBatchesAsync(async b => (await b.ActiveAsync()).Count(x => x.Status == Core.Domain.BatchStatus.Running));

        public Task CancelAsync(Guid id) => WithBatchesAsync(b => b.CancelAsync(id, Actor.Admin("admin@example.com")));

        private async Task<T> WithBatchesAsync<T>(Func<BatchService, Task<T>> action)
        {
            await using var scope = Services.CreateAsyncScope();
            return await action(scope.ServiceProvider.GetRequiredService<BatchService>());
        }
    }

    internal sealed class CommitClock : Microsoft.EntityFrameworkCore.Diagnostics.DbTransactionInterceptor
    {
        public System.Collections.Concurrent.ConcurrentQueue<double> Times { get; } = new();

        public override Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction,
            Microsoft.EntityFrameworkCore.Diagnostics.TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Times.Enqueue(UnixMs());
            return Task.CompletedTask;
        }
    }

    /// <summary>Open circuits, counted by a circuit handler in each.</summary>
    private sealed class CircuitCounter
    {
        private int _open;

        public int Open => Volatile.Read(ref _open);

        public Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler Handler() => new Counting(this);

        private sealed class Counting(CircuitCounter owner) : Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler
        {
            public override Task OnCircuitOpenedAsync(Microsoft.AspNetCore.Components.Server.Circuits.Circuit circuit, CancellationToken ct)
            {
                Interlocked.Increment(ref owner._open);
                return Task.CompletedTask;
            }

            public override Task OnCircuitClosedAsync(Microsoft.AspNetCore.Components.Server.Circuits.Circuit circuit, CancellationToken ct)
            {
                Interlocked.Decrement(ref owner._open);
                return Task.CompletedTask;
            }
        }
    }
}
