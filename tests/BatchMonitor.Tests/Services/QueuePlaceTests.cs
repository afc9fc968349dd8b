using BatchMonitor.Core.Domain;
using BatchMonitor.Core.Engine;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Services;

/// <summary>A queued batch's place in line (the order the engine starts them in) and what it waits for.</summary>
public sealed class QueuePlaceTests
{
    [Fact]
    public async Task Queued_batches_stand_in_the_engine_s_order_and_say_what_they_wait_for()
    {
        await using var h = await EngineHarness.CreateAsync(start: false);
        var queue = h.Services.GetRequiredService<QueuePlace>();
        var first = await h.CreateAsync(1);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var second = await h.CreateAsync(1);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var urgent = await h.CreateAsync(1, new OptionsInput { Priority = 10 });

        Assert.Equal(new QueuePlaceView(1, 0, "the engine to start it (any moment now)"), await queue.OfAsync(urgent.Id));
        Assert.Equal(new QueuePlaceView(2, 1, "the batches ahead of it to start"), await queue.OfAsync(first.Id));
        Assert.Equal((3, 2), ((await queue.OfAsync(second.Id))!.Position, (await queue.OfAsync(second.Id))!.Ahead));

        // Every slot taken (4 running by default): that is what they wait for.
        foreach (var _ in Enumerable.Range(0, 4))
            await h.Services.GetRequiredService<BatchTransitions>().StartAsync((await h.CreateAsync(1, new OptionsInput { Priority = 50 })).Id);
        Assert.Equal("a free slot: 4 of 4 batches run now", (await queue.OfAsync(first.Id))!.WaitsFor);

        Assert.Equal(new QueuePlaceView(null, 0, null), await queue.OfAsync((await h.Batches.ListAsync(new BatchListQuery { Statuses = [BatchStatus.Running] })).Items[0].Id));
        Assert.Null(await queue.OfAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task A_batch_whose_exclusive_key_another_holds_says_which_batch_holds_it()
    {
        await using var h = await EngineHarness.CreateAsync(start: false);
        var holder = await h.CreateAsync(1, new OptionsInput { ExclusiveKey = "nightly-accounts" });
        await h.Services.GetRequiredService<BatchTransitions>().StartAsync(holder.Id);
        var waiting = await h.CreateAsync(1, new OptionsInput { ExclusiveKey = "nightly-accounts" });

        var place = await h.Services.GetRequiredService<QueuePlace>().OfAsync(waiting.Id);

        Assert.Equal($"exclusive key 'nightly-accounts', held by '{holder.Name}' (running)", place!.WaitsFor);
    }
}
