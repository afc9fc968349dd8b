using System.Text.Json.Nodes;
using BatchMonitor.Core.Access;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Components.Pages;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace BatchMonitor.Tests.Components;

/// <summary>New batch: what it counts and checks as the user types, in the form's words, and a clone to edit.</summary>
public sealed class NewBatchTests
{
    [Fact]
    public async Task The_item_count_follows_pasted_lines_as_they_are_typed()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var page = h.Context.Render<NewBatch>();

        // An input event only, no change (the field is not left).
        page.Find("#items").Input("alice\nbob\n\ncarol");

        page.WaitForAssertion(() => Assert.Equal("3 items", page.Find("[data-testid=item-count]").TextContent.Trim()));
    }

    [Fact]
    public async Task An_option_out_of_range_says_so_in_the_labels_words_as_typed_and_the_message_clears_when_fixed()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var page = h.Context.Render<NewBatch>();

        page.Find("#opt-maxAttempts").Input("0");

        page.WaitForAssertion(() => Assert.Contains("Attempts must be between 1 and 100.", page.Markup));
        Assert.DoesNotContain("maxAttempts must", page.Markup);
        Assert.Equal("true", page.Find("#opt-maxAttempts").GetAttribute("aria-invalid"));
        // Only the field that was touched speaks: nothing about the empty items yet.
        Assert.DoesNotContain("Give at least one item.", page.Markup);

        page.Find("#opt-maxAttempts").Input("3");

        page.WaitForAssertion(() => Assert.DoesNotContain("Attempts must be between", page.Markup));
        Assert.Equal("false", page.Find("#opt-maxAttempts").GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task An_empty_submit_says_what_is_missing_beside_the_items_and_typing_clears_it()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var page = h.Context.Render<NewBatch>();

        await page.Find("form").SubmitAsync();

        page.WaitForAssertion(() => Assert.Contains("Give at least one item.", page.Markup));
        Assert.Contains("Nothing was started", page.Find("[role=alert]").TextContent);
        Assert.Equal(0, (await h.Engine.Batches.ListAsync(new BatchListQuery())).Total);

        page.Find("#items").Input("alice");

        page.WaitForAssertion(() => Assert.DoesNotContain("Give at least one item.", page.Markup));
    }

    [Fact]
    public async Task Clone_opens_new_batch_filled_in_from_the_original_and_starts_nothing_until_asked()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var original = (await h.Engine.Batches.CreateAsync(new CreateBatchRequest
        {
            Name = "nightly accounts",
            Handler = "demo",
            Items = [new ItemInput("alice"), new ItemInput("bob")],
            Args = new JsonObject { ["minMs"] = 120 },
            Options = new OptionsInput { Concurrency = 3, MaxAttempts = 5 },
        }, Actor.Admin("test"))).Batch!;
        h.Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"batches/new?from={original.Id}");

        var page = h.Context.Render<NewBatch>();

        page.WaitForAssertion(() => Assert.Equal("nightly accounts (copy)", page.Find("#name").GetAttribute("value")));
        Assert.Equal("alice\nbob", page.Find("#items").GetAttribute("value") ?? page.Find("#items").TextContent);
        Assert.Equal("2 items", page.Find("[data-testid=item-count]").TextContent.Trim());
        Assert.Equal("120", page.Find("#arg-minMs").GetAttribute("value"));
        Assert.Equal("3", page.Find("#opt-concurrency").GetAttribute("value"));
        Assert.Equal("5", page.Find("#opt-maxAttempts").GetAttribute("value"));
        Assert.Equal(1, (await h.Engine.Batches.ListAsync(new BatchListQuery())).Total);

        page.Find("#opt-concurrency").Input("4");
        await page.Find("form").SubmitAsync();

        await Wait.UntilAsync(async () => (await h.Engine.Batches.ListAsync(new BatchListQuery())).Total == 2, "the copy to be started");
        var copy = (await h.Engine.Batches.ListAsync(new BatchListQuery())).Items.Single(b => b.Id != original.Id);
        Assert.Equal("nightly accounts (copy)", copy.Name);
        Assert.Equal(2, copy.Total);
        Assert.Equal(4, copy.Options.Concurrency);
        Assert.Equal(5, copy.Options.MaxAttempts);
        Assert.Equal(120, copy.Args["minMs"]!.GetValue<double>());
    }
}
