using BatchMonitor.Bench;

// dotnet run -c Release --project bench/BatchMonitor.Bench -- <benchmark> [options]
var benchmarks = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["engine"] = EngineThroughput.RunAsync,
    ["floor"] = Floor.RunAsync,
    ["push"] = PushLatency.RunAsync,
    ["api-create"] = ApiCreate.RunAsync,
    ["reads"] = Reads.RunAsync,
    ["logs"] = LogReads.RunAsync,
    ["across-nodes"] = AcrossNodes.RunAsync,
    ["load"] = Load.RunAsync,
    ["prune"] = PruneWhileRunning.RunAsync,
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: BatchMonitor.Bench <{string.Join("|", benchmarks.Keys)}> [options]");
    return 2;
}
return await run(args[1..]);
