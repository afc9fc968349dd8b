using BatchMonitor.Core.Handlers;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;

namespace BatchMonitor.Tests.Services;

/// <summary>Every numeric option is bounded to what the engine can honour: its bounds pass, a step beyond is refused by field.</summary>
public sealed class OptionLimitsTests
{
    private static readonly HandlerRegistry Handlers = new([new ScriptedHandler()]);

    public static TheoryData<string> Fields() => [.. OptionLimits.All.Select(l => l.Field)];

    [Fact]
    public void Every_numeric_option_has_a_limit()
    {
        var numeric = typeof(OptionsInput).GetProperties()
            .Where(p => Nullable.GetUnderlyingType(p.PropertyType) is { IsPrimitive: true })
            .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]);

        Assert.Equal(numeric.Order(), OptionLimits.All.Select(l => l.Field).Order());
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void An_option_at_either_bound_is_accepted(string field)
    {
        var limit = OptionLimits.All.Single(l => l.Field == field);

        Assert.True(Validate(field, limit.Min).IsValid, $"{field} = {limit.Min}");
        Assert.True(Validate(field, limit.Max).IsValid, $"{field} = {limit.Max}");
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void An_option_a_step_beyond_either_bound_is_refused_with_its_range(string field)
    {
        var limit = OptionLimits.All.Single(l => l.Field == field);
        var step = field == "ratePerSecond" ? limit.Min / 10 : 1;

        foreach (var value in new[] { limit.Min - step, limit.Max + step })
        {
            var errors = Validate(field, value);
            Assert.Equal([limit.Message], errors.For($"options.{field}"));
        }
    }

    [Theory]
    [InlineData(1e-7)]
    [InlineData(1e-9)]
    [InlineData(double.Epsilon)]
    [InlineData(0.0009)]
    public void A_rate_slower_than_one_start_per_1000_seconds_is_refused(double rate)
    {
        var errors = Validate("ratePerSecond", rate);

        Assert.Equal(["ratePerSecond must be between 0.001 and 10,000 item starts per second (one start every 1,000 seconds at " +
                      "the slowest), or left out for no limit."], errors.For("options.ratePerSecond"));
    }

    private static Core.Validation.ValidationErrors Validate(string field, double value)
    {
        var options = field switch
        {
            "concurrency" => new OptionsInput { Concurrency = (int)value },
            "ratePerSecond" => new OptionsInput { RatePerSecond = value },
            "delayBetweenItemsMs" => new OptionsInput { DelayBetweenItemsMs = (int)value },
            "maxAttempts" => new OptionsInput { MaxAttempts = (int)value },
            "retryBaseDelayMs" => new OptionsInput { RetryBaseDelayMs = (int)value },
            "itemTimeoutMs" => new OptionsInput { ItemTimeoutMs = (int)value },
            "maxRunMs" => new OptionsInput { MaxRunMs = (long)value },
            "priority" => new OptionsInput { Priority = (int)value },
            "failGroupAfter" => new OptionsInput { FailGroupAfter = (int)value },
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "An option this test does not know: add it."),
        };
        var request = new CreateBatchRequest { Handler = "scripted", Items = [new ItemInput("a")], Options = options };
        return BatchRequestValidator.Validate(request, Handlers, out _);
    }
}
