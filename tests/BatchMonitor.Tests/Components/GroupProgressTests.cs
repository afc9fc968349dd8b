using BatchMonitor.Core.Access;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Components.Pages;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components;

/// <summary>The batch page shows how each group of items stands (seed 004's servers), and which dataset a batch works on.</summary>
public sealed class GroupProgressTests
{
    [Fact]
    public async Task A_batch_with_groups_shows_a_row_per_group_with_its_counts()
    {
        await using var h = await ComponentHarness.CreateAsync();
        string[] servers = ["Siel", "Israphel", "Nezakan"];
        var batch = await h.Engine.CreateAsync(10, item: i => new ItemInput($"char-{i}", servers[i % 3]));

        var page = h.Context.Render<BatchDetails>(p => p.Add(x => x.Id, batch.Id));

        await page.WaitForAssertionAsync(() =>
        {
            Assert.Equal(["Israphel", "Nezakan", "Siel"], page.FindAll("tr[data-group]").Select(r => r.GetAttribute("data-group")));
            Assert.Equal("4", page.Find("tr[data-group=Siel] [role=progressbar]").GetAttribute("aria-valuemax"));
            Assert.Contains("0/4", page.Find("tr[data-group=Siel]").TextContent);
            Assert.Contains("0/3", page.Find("tr[data-group=Israphel]").TextContent);
        });
    }

    [Fact]
    public async Task A_batch_without_groups_shows_no_group_table()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var batch = await h.CreateBatchAsync(5);

        var page = h.Context.Render<BatchDetails>(p => p.Add(x => x.Id, batch.Id));

        await page.WaitForAssertionAsync(() => Assert.Contains("Items of this batch", page.Markup));
        Assert.Empty(page.FindAll("tr[data-group]"));
        Assert.DoesNotContain("bm-groups-title", page.Markup);
        Assert.Empty(page.FindAll("[data-dataset-link]"));
    }

    [Fact]
    public async Task A_batch_over_a_dataset_links_to_it()
    {
        await using var h = await ComponentHarness.CreateAsync();
        await using var scope = h.Engine.Services.CreateAsyncScope();
        var dataset = (await scope.ServiceProvider.GetRequiredService<DatasetService>()
            .CreateAsync("game characters", [new ItemInput("a"), new ItemInput("b")], Actor.Admin("test"))).Dataset!;
        var batch = (await h.Engine.Batches.CreateAsync(new CreateBatchRequest
        {
            Handler = h.Engine.Handler.Name, Source = new BatchSource { DatasetId = dataset.Id },
        }, Actor.Admin("test"))).Batch!;

        var page = h.Context.Render<BatchDetails>(p => p.Add(x => x.Id, batch.Id));

        await page.WaitForAssertionAsync(() =>
        {
            var link = page.Find($"[data-dataset-link='{dataset.Id}']");
            Assert.Equal($"datasets/{dataset.Id}", link.GetAttribute("href"));
            Assert.Equal("game characters", link.TextContent.Trim());
        });
    }
}
