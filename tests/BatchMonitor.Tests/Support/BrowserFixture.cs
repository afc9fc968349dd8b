using System.Diagnostics;
using Microsoft.Playwright;

namespace BatchMonitor.Tests.Support;

/// <summary>
/// One headless Debian Chromium (installed here with apt-get when it is missing; never a downloaded browser) and one
/// app server, shared by the browser tests of a collection. A missing browser fails the tests loudly: they never skip.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private BrowserServer? _server;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public BrowserServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync()
    {
        await EnsureChromiumAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await LaunchAsync(_playwright);
        _server = new BrowserServer();
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });

    /// <summary>
    /// A fresh browser context (own cookies and storage) with one tab, at <paramref name="path"/>, live. Narrower than
    /// 600 px it is a phone: mobile emulation with touch, 844 px tall.
    /// </summary>
    public async Task<AppPage> OpenAsync(string path, string theme = "light", BrowserServer? server = null,
        (string Email, string Password)? signInAs = null, int width = 1360)
    {
        server ??= Server;
        var phone = width < 600;
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = phone ? 844 : 900 },
            IsMobile = phone,
            HasTouch = phone,
            ColorScheme = theme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
        });
        context.SetDefaultTimeout((float)Wait.Limit.TotalMilliseconds);
        var page = await AppPage.CreateAsync(context);
        if (signInAs is { } credentials) page.Credentials = credentials;
        await page.GotoAsync(path);
        return page;
    }

    public async Task DisposeAsync()
    {
        // The browser first: its open circuits would otherwise hold the server's shutdown.
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }

    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>Installs Debian's Chromium when it is not there (as root, the way CI runs); throws when that fails.</summary>
    public static async Task EnsureChromiumAsync()
    {
        if (File.Exists(ChromiumPath)) return;
        await InstallGate.WaitAsync();
        try
        {
            if (File.Exists(ChromiumPath)) return;
            var log = await RunAsync("/bin/sh", "-c",
                "export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq chromium");
            if (!File.Exists(ChromiumPath))
                throw new InvalidOperationException(
                    $"Browser tests need Chromium at {ChromiumPath}, and installing it with apt-get failed " +
                    $"(run as root: apt-get update && apt-get install -y chromium).\n{log}");
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return $"exit {process.ExitCode}\n{await output}\n{await error}";
        }
        catch (Exception e)
        {
            return e.Message;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
