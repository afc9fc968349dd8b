using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Playwright;

namespace BatchMonitor.Tests.Support;

/// <summary>
/// A browser tab on the app, with what the browser tests keep asking: go somewhere (signing in when the app asks for
/// it) and wait until the page is live on its circuit, read a progress bar, count HTTP requests, keep console errors.
/// </summary>
public sealed class AppPage : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _webSockets = new();

    private AppPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error") _consoleErrors.Enqueue(message.Text);
        };
        page.PageError += (_, error) => _consoleErrors.Enqueue(error);
        page.Request += (_, request) =>
        {
            // The browser fetches the tab's icon itself, whenever it gets to it (a loaded run can put that after the
            // page is live); that is the browser's request, not the page's.
            if (!new Uri(request.Url).AbsolutePath.StartsWith("/favicon", StringComparison.Ordinal))
                _requests.Enqueue($"{request.Method} {request.Url}");
        };
        page.WebSocket += (_, socket) => _webSockets.Enqueue(socket.Url);
    }

    public IBrowserContext Context { get; }

    /// <summary>Who this tab signs in as when the app asks: the configured admin unless a test says otherwise.</summary>
    public (string Email, string Password) Credentials { get; set; } = (BrowserServer.AdminEmail, BrowserServer.AdminPassword);

    public IPage Page { get; }

    public IReadOnlyCollection<string> ConsoleErrors => _consoleErrors;

    /// <summary>Every HTTP request this tab made so far (a WebSocket's frames are not requests, nor is the browser's own fetch of the icon).</summary>
    public IReadOnlyList<string> Requests => _requests.ToArray();

    /// <summary>WebSockets this tab opened (the circuit's).</summary>
    public IReadOnlyList<string> WebSockets => _webSockets.ToArray();

    public static async Task<AppPage> CreateAsync(IBrowserContext context) => new(context, await context.NewPageAsync());

    /// <summary>Another tab in the same browser context (same cookies, same theme).</summary>
    public async Task<AppPage> NewTabAsync(string path)
    {
        var tab = new AppPage(Context, await Context.NewPageAsync()) { Credentials = Credentials };
        await tab.GotoAsync(path);
        return tab;
    }

    /// <summary>Loads <paramref name="path"/>, signs in if the app sends us to /login, and waits until the page is live.</summary>
    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path);
        if (await SignInIfAskedAsync()) await Page.GotoAsync(path);
        await WaitUntilLiveAsync();
    }

    public async Task ReloadAsync()
    {
        await Page.ReloadAsync();
        await WaitUntilLiveAsync();
    }

    /// <summary>
    /// Waits until the tab's address satisfies <paramref name="matches"/>, by polling it. Playwright's WaitForURL looks
    /// at the address once and then waits for the next navigation, so a navigation that lands in between is missed.
    /// </summary>
    public Task UntilUrlAsync(Func<string, bool> matches) => Wait.UntilAsync(() => matches(Page.Url), "the tab's address to change");

    public Task UntilUrlAsync(System.Text.RegularExpressions.Regex pattern) => UntilUrlAsync(pattern.IsMatch);

    /// <summary>The page's components answer on their circuit (the connection indicator says so).</summary>
    public Task WaitUntilLiveAsync() => Page.Locator("[data-circuit='live']").WaitForAsync();

    /// <summary>
    /// When sign-in is on (admin from BatchMonitor:Bootstrap), a page may land on /login: fill the form with
    /// <see cref="Credentials"/> and submit. True when it signed in.
    /// </summary>
    public async Task<bool> SignInIfAskedAsync()
    {
        if (!new Uri(Page.Url).AbsolutePath.StartsWith("/login", StringComparison.OrdinalIgnoreCase)) return false;
        await Page.Locator("#email").FillAsync(Credentials.Email);
        await Page.Locator("#password").FillAsync(Credentials.Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await UntilUrlAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login", StringComparison.OrdinalIgnoreCase));
        return true;
    }

    public ILocator ProgressBar(Guid batchId) =>
        Page.Locator($"[role='progressbar'][data-batch-id='{batchId}']").First;

    /// <summary>The batch's progress bar's aria-valuenow: items finished.</summary>
    public async Task<int> ProgressAsync(Guid batchId)
    {
        var value = await ProgressBar(batchId).GetAttributeAsync("aria-valuenow");
        return (int)double.Parse(value ?? "0", CultureInfo.InvariantCulture);
    }

    /// <summary>Waits (in the page, on each frame) until the batch's bar shows more than <paramref name="than"/> finished items.</summary>
    public async Task<int> WaitForProgressAboveAsync(Guid batchId, int than)
    {
        try
        {
            await WaitInPageForProgressAboveAsync(batchId, than);
        }
        catch (TimeoutException e)
        {
            var shown = await Page.EvaluateAsync<string?>(
                "id => document.querySelector(`[role='progressbar'][data-batch-id='${id}']`)?.getAttribute('aria-valuenow') ?? null",
                batchId.ToString());
            throw new TimeoutException($"The bar of {batchId} stayed at {shown ?? "(no bar)"}, not above {than}: {e.Message}", e);
        }
        return await ProgressAsync(batchId);
    }

    private async Task WaitInPageForProgressAboveAsync(Guid batchId, int than)
    {
        await Page.WaitForFunctionAsync(
            """
            ([id, than]) => {
              const bar = document.querySelector(`[role='progressbar'][data-batch-id='${id}']`);
              return bar !== null && Number(bar.getAttribute('aria-valuenow')) > than;
            }
            """, new object[] { batchId.ToString(), than });
    }

    /// <summary>Picks a theme from the top bar's theme menu: "Light", "Dark" or "Same as the system".</summary>
    public async Task ChooseThemeAsync(string choice)
    {
        await Button("Theme").ClickAsync();
        await Page.GetByRole(AriaRole.Menuitemradio, new() { Name = choice, Exact = true }).ClickAsync();
    }

    /// <summary>The theme MudBlazor draws now, read from the page's own colours (not from an attribute a script set).</summary>
    public Task<string> DrawnThemeAsync() => Page.EvaluateAsync<string>("""
        (() => {
          const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
          return (r + g + b) / 3 < 128 ? "dark" : "light";
        })()
        """);

    /// <summary>
    /// After a choice of theme: the page's own attribute changes at once, the drawn colours when the circuit has rendered
    /// the new palette (a round trip, longer on a loaded machine). Waits for that, up to 10 s.
    /// </summary>
    public async Task<string> DrawnThemeSoonAsync(string expected)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        string drawn;
        while ((drawn = await DrawnThemeAsync()) != expected && watch.Elapsed < TimeSpan.FromSeconds(10)) await Page.WaitForTimeoutAsync(100);
        return drawn;
    }

    public ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>Saves a full-page PNG under TestResults/screenshots.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(Artifacts.Folder("screenshots"), name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}

/// <summary>Where tests keep what a person may want to look at afterwards: TestResults/ at the repository root.</summary>
public static class Artifacts
{
    public static string Folder(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BatchMonitor.sln"))) dir = dir.Parent;
        var root = dir?.FullName ?? AppContext.BaseDirectory;
        var folder = Path.Combine(root, "TestResults", name);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
