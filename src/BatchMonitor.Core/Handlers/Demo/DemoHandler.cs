using System.Text.Json.Nodes;
using BatchMonitor.Core.Validation;

namespace BatchMonitor.Core.Handlers.Demo;

/// <summary>
/// Simulated work: each item takes between minMs and maxMs in a few named steps and fails at the given
/// rate. With a seed, the same key and attempt always take the same time and give the same outcome.
/// </summary>
public sealed class DemoHandler : IBatchHandler
{
    private static readonly string[] StepNames = ["Connecting", "Fetching", "Parsing", "Scoring", "Saving"];

    public string Name => "demo";

    public string Description =>
        "Simulated work with progress steps, a configurable duration and failure rate. Try BatchMonitor with no setup.";

    public IReadOnlyList<HandlerArgument> Arguments { get; } =
    [
        new("minMs", ArgumentType.Integer, "Shortest time an item takes, in milliseconds.")
            { Default = 200, Minimum = 0, Maximum = 3_600_000 },
        new("maxMs", ArgumentType.Integer, "Longest time an item takes, in milliseconds.")
            { Default = 1500, Minimum = 0, Maximum = 3_600_000 },
        new("failureRate", ArgumentType.Number, "Share of attempts that fail, from 0 to 1.")
            { Default = 0.1, Minimum = 0, Maximum = 1 },
        new("steps", ArgumentType.Integer, "Progress steps per item.")
            { Default = 5, Minimum = 1, Maximum = 100 },
        new("seed", ArgumentType.Integer, "Makes durations and failures repeatable; leave empty for random.")
            { Minimum = int.MinValue, Maximum = int.MaxValue },
    ];

    public ValidationErrors Validate(HandlerArgs args)
    {
        var errors = new ValidationErrors();
        if (args.GetInt32("minMs") > args.GetInt32("maxMs"))
            errors.Add("maxMs", "maxMs must be at least minMs.");
        return errors;
    }

    public async Task<JsonNode?> HandleAsync(ItemContext item, CancellationToken cancellationToken)
    {
        var random = item.Args.GetInt32("seed") is { } seed
            ? new Random(StableHash.Combine(seed, item.Key, item.Attempt))
            : Random.Shared;
        var minMs = item.Args.GetInt32("minMs") ?? 200;
        var maxMs = item.Args.GetInt32("maxMs") ?? 1500;
        var steps = item.Args.GetInt32("steps") ?? 5;
        var failureRate = item.Args.GetDouble("failureRate") ?? 0.1;

        var durationMs = minMs + random.Next(0, maxMs - minMs + 1);
        var fails = random.NextDouble() < failureRate;
        var failAtStep = fails ? random.Next(0, steps) : -1;
        var stepMs = (double)durationMs / steps;

        for (var step = 0; step < steps; step++)
        {
            item.Report((double)step / steps, $"{StepNames[step % StepNames.Length]} ({step + 1}/{steps})");
            if (stepMs > 0) await Task.Delay(TimeSpan.FromMilliseconds(stepMs), item.Time, cancellationToken);
            if (step == failAtStep)
            {
                // The engine logs the failure once, with this message; a line of the handler's own would say it twice.
                throw new ItemFailedException(
                    $"Simulated failure while {StepNames[step % StepNames.Length].ToLowerInvariant()} (step {step + 1} of {steps}).");
            }
        }

        return new JsonObject
        {
            ["key"] = item.Key,
            ["durationMs"] = durationMs,
            ["score"] = Math.Round(random.NextDouble() * 100, 2),
        };
    }
}
