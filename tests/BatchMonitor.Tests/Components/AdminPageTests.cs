using BatchMonitor.Tests.Support;
using BatchMonitor.Web.Auth.ApiKeys;
using BatchMonitor.Web.Auth.Users;
using BatchMonitor.Web.Components.Pages.Admin;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace BatchMonitor.Tests.Components;

/// <summary>
/// The Users and API keys pages over the real app's user directory and keys (one app for the class; its only admin is
/// the bootstrap one): messages beside the fields that appear on submit and clear as the user types, refusals in the
/// product's words, and a select that shows the role a user really has.
/// </summary>
public sealed class AdminPageTests(BatchMonitorApp app) : IClassFixture<BatchMonitorApp>, IAsyncLifetime
{
    private readonly List<(BunitContext Tab, AsyncServiceScope Scope)> _tabs = [];

    [Fact]
    public async Task Refusing_to_demote_the_last_admin_says_why_and_the_select_shows_admin_again()
    {
        var (page, _) = Open<Users>();
        var select = RoleSelect(page, BatchMonitorApp.AdminEmail);
        Assert.Equal("admin", select.Instance.GetState(x => x.Value));

        await page.InvokeAsync(() => select.Instance.SelectOption("viewer"));

        page.WaitForAssertion(() => Assert.Contains("last admin", page.Find("[data-testid=users-message]").TextContent));
        page.WaitForAssertion(() =>
        {
            var shown = RoleSelect(page, BatchMonitorApp.AdminEmail);
            Assert.Equal("admin", shown.Instance.GetState(x => x.Value));
            Assert.Equal("admin", shown.Find("input").GetAttribute("value"));
        });
        Assert.Equal("admin", (await app.Services.GetRequiredService<UserDirectory>().ListAsync()).Single(u => u.Email == BatchMonitorApp.AdminEmail).Role);
    }

    [Fact]
    public async Task An_empty_add_says_what_is_missing_beside_each_field_and_each_message_clears_as_its_field_is_typed()
    {
        var before = (await app.Services.GetRequiredService<UserDirectory>().ListAsync()).Count;
        var (page, _) = Open<Users>();

        await page.Find("form.bm-add-user").SubmitAsync();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Enter an email address.", ErrorBeside(page, "new-email"));
            Assert.Equal("Enter a password.", ErrorBeside(page, "new-password"));
        });
        await page.Find("#new-email").InputAsync("someone@test.local");
        page.WaitForAssertion(() => Assert.Null(ErrorBeside(page, "new-email")));
        await page.Find("#new-password").InputAsync("short");
        page.WaitForAssertion(() => Assert.Equal("Use at least 12 characters.", ErrorBeside(page, "new-password")));
        await page.Find("#new-password").InputAsync("long enough and unusual 42");
        page.WaitForAssertion(() => Assert.Null(ErrorBeside(page, "new-password")));
        Assert.Equal(before, (await app.Services.GetRequiredService<UserDirectory>().ListAsync()).Count);
    }

    [Fact]
    public async Task An_email_in_use_is_refused_in_the_product_s_words_beside_the_email()
    {
        var (page, _) = Open<Users>();

        await page.Find("#new-email").InputAsync(BatchMonitorApp.ViewerEmail);
        await page.Find("#new-password").InputAsync("long enough and unusual 42");
        await page.Find("form.bm-add-user").SubmitAsync();

        page.WaitForAssertion(() => Assert.Equal("Someone already signs in with this email.", ErrorBeside(page, "new-email")));
        Assert.DoesNotContain("is already taken", page.Markup);
        Assert.DoesNotContain("email:", page.Markup);
        // Another email: the directory's message goes with the email it was about.
        await page.Find("#new-email").InputAsync("someone.else@test.local");
        page.WaitForAssertion(() => Assert.Null(ErrorBeside(page, "new-email")));
    }

    [Fact]
    public async Task An_empty_key_name_is_said_beside_the_field_and_clears_as_a_name_is_typed()
    {
        var keys = app.Services.GetRequiredService<ApiKeyService>();
        var before = (await keys.ListAsync()).Count;
        var (page, _) = Open<ApiKeys>();

        await page.Find("form.bm-create-key").SubmitAsync();

        page.WaitForAssertion(() => Assert.Equal("Give the key a name (what uses it).", ErrorBeside(page, "key-name")));
        await page.Find("#key-name").InputAsync("nightly import");
        page.WaitForAssertion(() => Assert.Null(ErrorBeside(page, "key-name")));
        Assert.Equal(before, (await keys.ListAsync()).Count);
    }

    [Fact]
    public async Task Revoking_a_key_asks_first_keep_leaves_it_and_revoke_revokes_it()
    {
        var keys = app.Services.GetRequiredService<ApiKeyService>();
        var admin = (await app.Services.GetRequiredService<UserDirectory>().ListAsync()).Single(u => u.Email == BatchMonitorApp.AdminEmail);
        var name = $"to revoke {Guid.NewGuid():N}"[..18];
        var key = (await keys.CreateAsync(name, "viewer", admin.Id, admin.Email)).Info;
        var (page, overlays) = Open<ApiKeys>();

        RevokeButton(page, name).Click();
        overlays.WaitForAssertion(() => Assert.Contains($"Revoke “{name}”?", overlays.Find("[role=dialog]").TextContent));
        await overlays.FindButton("Keep it").ClickAsync();
        overlays.WaitForAssertion(() => Assert.Empty(overlays.FindAll("[role=dialog]")));
        Assert.False((await keys.ListAsync()).Single(k => k.Id == key.Id).Revoked);

        RevokeButton(page, name).Click();
        overlays.WaitForAssertion(() => Assert.Single(overlays.FindAll("[role=dialog]")));
        await overlays.FindButton("Revoke key").ClickAsync();

        await Wait.UntilAsync(async () => (await keys.ListAsync()).Single(k => k.Id == key.Id).Revoked, "the key to be revoked");
        page.WaitForAssertion(() => Assert.Contains("revoked", page.Find($"td[data-key='{name}']").ParentElement!.TextContent));
    }

    private static AngleSharp.Dom.IElement RevokeButton(IRenderedComponent<ApiKeys> page, string name) =>
        page.Find($"td[data-key='{name}']").ParentElement!.QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Revoke");

    private static IRenderedComponent<MudSelect<string>> RoleSelect(IRenderedComponent<Users> page, string email) =>
        page.FindComponents<MudSelect<string>>().Single(s => s.Instance.UserAttributes.TryGetValue("data-role-of", out var of) && (string?)of == email);

    /// <summary>The error line MudBlazor shows under the field whose input has this id, or null.</summary>
    private static string? ErrorBeside<T>(IRenderedComponent<T> page, string inputId) where T : IComponent
    {
        var field = page.Find($"#{inputId}").Closest(".mud-input-control");
        return field?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() is { Length: > 0 } text ? text : null;
    }

    private (IRenderedComponent<T> Page, IRenderedComponent<Overlays> Overlays) Open<T>() where T : IComponent
    {
        var scope = app.Services.CreateAsyncScope();
        var tab = new BunitContext().AddComponentTestServices(scope.ServiceProvider);
        _tabs.Add((tab, scope));
        var overlays = tab.Render<Overlays>();
        return (tab.Render<T>(), overlays);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (tab, scope) in _tabs)
        {
            await tab.DisposeAsync();
            await scope.DisposeAsync();
        }
    }
}
