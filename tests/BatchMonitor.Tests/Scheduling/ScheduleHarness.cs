using BatchMonitor.Core.Access;
using BatchMonitor.Core.Scheduling;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Scheduling;

/// <summary>Schedule helpers on top of the engine harness: create one, move the clock, read its history.</summary>
internal static class ScheduleHarness
{
    public static ScheduleService Schedules(this EngineHarness h) =>
        h.Services.CreateScope().ServiceProvider.GetRequiredService<ScheduleService>();

    public static async Task<ScheduleView> CreateScheduleAsync(this EngineHarness h, ScheduleInput input)
    {
        var result = await h.Schedules().CreateAsync(input, Actor.Admin("test"));
        Assert.True(result.IsOk, result.Errors?.ToString());
        return result.Schedule!;
    }

    public static ScheduleInput EveryMinute(CreateBatchRequest? batch = null) => new()
    {
        Name = "every minute",
        IntervalSeconds = 60,
        Batch = batch ?? new CreateBatchRequest { Handler = "scripted", Items = [new ItemInput("a"), new ItemInput("b")] },
    };

    /// <summary>Waits until the history holds <paramref name="count"/> fires and returns it, newest first.</summary>
    public static async Task<ScheduleHistory> WaitForHistoryAsync(this EngineHarness h, Guid id, int count)
    {
        ScheduleHistory? history = null;
        await Wait.UntilAsync(async () => (history = await h.Schedules().HistoryAsync(id, limit: 100))!.Total >= count,
            $"{count} fire(s) in the history (it has {history?.Total})");
        Assert.Equal(count, history!.Total);
        return history;
    }

    /// <summary>
    /// Moves the clock a minute at a time (a fire handled more than a minute late counts as missed), waiting each
    /// time until the scheduler has handled the fire (consecutive skips share one history row, so the history's
    /// size does not tell).
    /// </summary>
    public static Task AdvanceMinutesAsync(this EngineHarness h, Guid id, int minutes) =>
        h.AdvanceFiresAsync(id, minutes, TimeSpan.FromMinutes(1));

    /// <summary>Moves the clock <paramref name="step"/> at a time, <paramref name="fires"/> times, waiting for each fire to be handled.</summary>
    public static async Task AdvanceFiresAsync(this EngineHarness h, Guid id, int fires, TimeSpan step)
    {
        for (var f = 1; f <= fires; f++)
        {
            h.Time.Advance(step);
            var now = h.Time.GetUtcNow().UtcDateTime;
            // A scheduler that set its timer from the clock's old reading just as the clock jumped waits for a moment
            // the fake clock never reaches (a real clock gets there a few microseconds later): tell it to look again.
            var signals = h.Services.GetRequiredService<ScheduleSignals>();
            await Wait.UntilAsync(async () =>
            {
                if ((await h.Schedules().GetAsync(id))!.LastRunAt >= now) return true;
                signals.Wake();
                return false;
            }, $"the fire at {now:HH:mm:ss} to be handled");
        }
    }
}
