using System.Text.Json.Nodes;
using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Handlers.Demo;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Handlers;

public sealed class DemoHandlerTests
{
    private readonly DemoHandler _demo = new();

    [Fact]
    public async Task With_a_seed_the_same_key_and_attempt_give_the_same_outcome()
    {
        var args = new JsonObject { ["minMs"] = 0, ["maxMs"] = 0, ["failureRate"] = 0.5, ["seed"] = 42 };
        var first = await OutcomesAsync(args);
        var second = await OutcomesAsync(args);

        Assert.Equal(first, second);
        Assert.InRange(first.Count(o => o == "failed"), 60, 140); // about half of 200
    }

    [Fact]
    public async Task It_reports_each_step_and_waits_its_duration_on_the_given_clock()
    {
        var time = new FakeTimeProvider();
        var steps = new List<(double, string?)>();
        var context = Context(new JsonObject { ["minMs"] = 1000, ["maxMs"] = 1000, ["steps"] = 4, ["failureRate"] = 0 }, "k", time,
            new Recorder(steps));

        var work = _demo.HandleAsync(context, CancellationToken.None);
        for (var i = 0; i < 4; i++)
        {
            await Wait.UntilAsync(() => steps.Count == i + 1, $"step {i + 1}");
            time.Advance(250);
        }
        var result = await work;

        Assert.Equal([0, 0.25, 0.5, 0.75], steps.Select(s => s.Item1));
        Assert.Equal("Connecting (1/4)", steps[0].Item2);
        Assert.Equal(1000, result!["durationMs"]!.GetValue<int>());
    }

    [Fact]
    public void MinMs_above_maxMs_is_refused_beside_maxMs()
    {
        var errors = ArgsValidator.Validate(_demo, new JsonObject { ["minMs"] = 500, ["maxMs"] = 100 }, out _);
        Assert.Equal(["maxMs must be at least minMs."], errors.For("maxMs"));
    }

    [Theory]
    [InlineData("failureRate", "1.5", "failureRate must be at most 1.")]
    [InlineData("steps", "2.5", "steps must be a whole number.")]
    [InlineData("minMs", "\"fast\"", "minMs must be a number.")]
    [InlineData("colour", "1", "'demo' has no argument 'colour'. Its arguments are: minMs, maxMs, failureRate, steps, seed.")]
    public void Args_of_the_wrong_type_or_range_are_refused_by_name(string name, string json, string message)
    {
        var errors = ArgsValidator.Validate(_demo, new JsonObject { [name] = JsonNode.Parse(json) }, out _);
        Assert.Equal([message], errors.For(name));
    }

    [Fact]
    public void Left_out_args_take_their_defaults()
    {
        var errors = ArgsValidator.Validate(_demo, null, out var args);
        Assert.True(errors.IsValid);
        Assert.Equal(200, args.GetInt32("minMs"));
        Assert.Equal(0.1, args.GetDouble("failureRate"));
        Assert.False(args.Has("seed"));
    }

    private async Task<List<string>> OutcomesAsync(JsonObject args)
    {
        var outcomes = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            try
            {
                var result = await _demo.HandleAsync(Context(args, $"key-{i}", TimeProvider.System), CancellationToken.None);
                outcomes.Add(result!["score"]!.ToJsonString());
            }
            catch (ItemFailedException)
            {
                outcomes.Add("failed");
            }
        }
        return outcomes;
    }

    private ItemContext Context(JsonObject args, string key, TimeProvider time, IItemObserver? observer = null)
    {
        Assert.True(ArgsValidator.Validate(_demo, args, out var normalized).IsValid);
        return new ItemContext(Guid.NewGuid(), 0, key, null, null, 1, normalized, time, observer);
    }

    private sealed class Recorder(List<(double, string?)> steps) : IItemObserver
    {
        public void Progress(double progress, string? step)
        {
            lock (steps) steps.Add((progress, step));
        }

        public void Log(string level, string message)
        {
        }
    }
}
