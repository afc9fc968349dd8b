using BatchMonitor.Core.Access;
using BatchMonitor.Core.Datasets;
using BatchMonitor.Core.Services;
using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using DatasetList = BatchMonitor.Web.Components.Pages.Datasets.Datasets;

namespace BatchMonitor.Tests.Components;

/// <summary>The Datasets page: the list, and the New dataset form's messages, which hold only while what they say is true.</summary>
public sealed class DatasetListTests
{
    [Fact]
    public async Task An_empty_submit_says_what_is_missing_and_each_message_goes_once_its_field_is_filled()
    {
        await using var h = await ComponentHarness.CreateAsync();
        var page = h.Context.Render<DatasetList>();

        await page.Find("form.bm-new-dataset-form").SubmitAsync();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Give the dataset a name.", DatasetPageTests.ErrorBeside(page, "dataset-name"));
            Assert.Contains("Give at least one row.", page.Find("#error-items").TextContent);
            Assert.Contains("2 fields need attention", page.Markup);
        });
        await page.FindButton("Fill with 500 sample rows").ClickAsync();
        page.WaitForAssertion(() =>
        {
            Assert.Equal("500 rows", page.Find("[data-testid=item-count]").TextContent.Trim());
            Assert.DoesNotContain("Give at least one row.", page.Markup);
            Assert.Contains("1 field needs attention", page.Markup);
        });
        await page.Find("#dataset-name").InputAsync("accounts");
        page.WaitForAssertion(() =>
        {
            Assert.Null(DatasetPageTests.ErrorBeside(page, "dataset-name"));
            Assert.DoesNotContain("Nothing was created", page.Markup);
        });
        Assert.Empty(await ListAsync(h));
    }

    [Fact]
    public async Task A_name_another_dataset_has_is_refused_beside_the_name_and_nothing_is_created()
    {
        await using var h = await ComponentHarness.CreateAsync();
        await using (var scope = h.Engine.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatasetService>().CreateAsync("accounts", [new ItemInput("a")], Actor.Admin("test"));
        var page = h.Context.Render<DatasetList>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("td[data-dataset-id]")));

        await page.Find("#dataset-name").InputAsync("ACCOUNTS");
        await page.FindButton("Fill with 500 sample rows").ClickAsync();
        await page.Find("form.bm-new-dataset-form").SubmitAsync();

        page.WaitForAssertion(() =>
            Assert.Equal("A dataset called “accounts” already exists; choose another name.", DatasetPageTests.ErrorBeside(page, "dataset-name")));
        Assert.Single(await ListAsync(h));
        await page.Find("#dataset-name").InputAsync("accounts (March)");
        page.WaitForAssertion(() => Assert.Null(DatasetPageTests.ErrorBeside(page, "dataset-name")));
    }

    [Fact]
    public async Task A_viewer_sees_the_datasets_and_a_line_saying_why_there_is_no_form()
    {
        await using var h = await ComponentHarness.CreateAsync();
        h.Context.Services.GetRequiredService<TestUser>().Role = Roles.Viewer;
        await using (var scope = h.Engine.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatasetService>().CreateAsync("accounts", [new ItemInput("a")], Actor.Admin("test"));

        var page = h.Context.Render<DatasetList>();

        page.WaitForAssertion(() => Assert.Contains("1", page.Find("td[data-dataset-id]").ParentElement!.TextContent));
        Assert.Empty(page.FindAll("form"));
        Assert.DoesNotContain(page.FindAll("a, button"), e => e.TextContent.Contains("New dataset"));
        Assert.Contains("needs the admin role", page.Find("[data-testid=viewer-note]").TextContent);
    }

    private static async Task<IReadOnlyList<DatasetView>> ListAsync(ComponentHarness h)
    {
        await using var scope = h.Engine.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DatasetService>().ListAsync();
    }
}
